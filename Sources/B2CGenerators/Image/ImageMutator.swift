import B2CImage

/// A valid image, how it was made, and a bootloader configuration that accepts it.
package struct ImageFixture: Sendable {
    package var payload: [UInt8]
    package var options: ImageSignOptions
    package var bytes: [UInt8]
    package var configuration: ImageVerifier.Configuration
    package var hash: ImageHashAlgorithm
    /// Signs a region when a mutation re-seals the image (nil: sign with the key). Vector generators pin signatures
    /// through it.
    package var signer: (any ImageSigner)?

    package init(
        payload: [UInt8],
        options: ImageSignOptions,
        decryptionKey: DecryptionKey? = nil,
        signer: (any ImageSigner)? = nil
    )
        throws(ImageError)
    {
        self.payload = payload
        self.signer = signer
        var options = options
        if let signer, let key = options.key, options.fixedSignature == nil {
            let region = try ImageBuilder.vectorToSign(payload, options: options, .payload)
            let hash = options.pure ? .sha512 : options.hash ?? key.type.defaultHash
            options.fixedSignature = try signer.sign(key, region[...], hash.digest(region), options.pure)
        }
        self.options = options
        bytes = try ImageBuilder.sign(payload, options: options)
        let signature = try options.key.map { k throws(ImageError) in try ImageVerifier.SignatureType(k.type) } ?? .none
        hash = options.pure ? .sha512 : options.hash ?? options.key?.type.defaultHash ?? .sha256
        var c = ImageVerifier.Configuration(
            signature: signature,
            hash: hash,
            keys: options.key.map { [$0.publicKey] } ?? []
        )
        c.pure = options.pure
        c.slotSize = options.slotSize
        c.decryptionKey = decryptionKey
        // The build decrypts at the image's AES size (a build has one: MCUBOOT_AES_256 or not).
        c.aesKeyBits = options.encryption?.keyBits ?? c.aesKeyBits
        // An imgtool --clear image is for the primary slot, where the loader checks it as stored.
        if options.encryption?.clear == true { c.secondarySlot = false }
        configuration = c
    }
}

/// Makes signatures for fixtures and re-sealed mutations: plain signing, or a pinned store (see `SignaturePins`).
package protocol ImageSigner: Sendable {
    func sign(_ key: ImagePrivateKey, _ region: ArraySlice<UInt8>, _ digest: ImageDigest, _ pure: Bool)
        throws(ImageError)
        -> [UInt8]
}

/// A named structural mutation of a valid image, the negative-catalogue class it exercises (§15 of the notes), and
/// what a bootutil-like verifier must say: the error code, or nil when bootutil tolerates it (the image stays valid).
package struct ImageMutator: Sendable {
    package typealias Apply =
        @Sendable (ImageFixture) throws -> (bytes: [UInt8], configuration: ImageVerifier.Configuration)

    package let name: String
    package let catalogue: String
    package let expected: ImageError.Code?
    /// What the fixture must have for the mutation to apply (a signature, a protected area, encryption, …).
    package let needs: Set<Need>
    /// The bootutil code that decides the verdict, for the vector's comment (nil: the catalogue's note says it).
    package let reference: String?
    package let apply: Apply

    /// What a fixture must be: signed, ECDSA, pure, encrypted (with the device key, and not an imgtool `--clear` image,
    /// which is not decrypted where it belongs), with a protected area; `plain`
    /// (not encrypted: the mutation re-hashes the body as stored); `hashChecked` (not pure: the hash TLV is checked).
    package enum Need: Sendable, Hashable { case signature, ecdsa, pure, encryption, protectedArea, plain, hashChecked }

    package init(
        _ name: String,
        _ catalogue: String,
        _ expected: ImageError.Code?,
        needs: Set<Need> = [],
        reference: String? = nil,
        _ apply: @escaping Apply
    ) {
        self.name = name
        self.catalogue = catalogue
        self.expected = expected
        self.needs = needs
        self.reference = reference
        self.apply = apply
    }

    /// Whether either verdict is right: what bootutil tolerates but a strict implementation may reject (a KEYHASH
    /// prefix N13, header oddities N28, unknown protected TLVs N29, an unprotected TLV with the allow list off N20, a
    /// protected entry running past its area that bootutil's walk still accepts N7), and what depends on the ECDSA
    /// backend (N18, N19).
    package var isAcceptable: Bool {
        if ["N18", "N19"].contains(catalogue) { return true }
        let tolerated = [
            CatalogueRule.keyHashPrefix, CatalogueRule.uncheckedHeaderField, CatalogueRule.unknownProtectedTLV, "N20",
            CatalogueRule.protectedTLVOverrun,
        ]
        return expected == nil && tolerated.contains(catalogue)
    }

    package func applies(to f: ImageFixture) -> Bool {
        needs.allSatisfy { need in
            switch need {
            case .signature: f.options.key != nil
            case .ecdsa: f.options.key?.type == .ecdsaP256 || f.options.key?.type == .ecdsaP384
            case .pure: f.options.pure
            case .encryption:
                f.options.encryption != nil && f.options.encryption?.clear != true
                    && f.configuration.decryptionKey != nil
            case .protectedArea: (try? MCUbootImage(parsing: f.bytes))?.protectedArea.isEmpty == false
            case .plain: f.options.encryption == nil
            case .hashChecked: !f.options.pure
            }
        }
    }
}
