import ArgumentParser
import B2CImage
import Foundation

/// `b2c image …`: a drop-in for imgtool's command line, with one-line errors (exit 2) where imgtool prints a
/// traceback, and a verifier that judges like the bootloader.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "MCUboot images: keys, sign, verify, dumpinfo, decrypt, lint (imgtool's flags).",
        subcommands: [
            Keygen.self, GetPub.self, GetPubHash.self, GetPriv.self, KeyInfo.self, ImageSign.self, ImageVerify.self,
            DumpInfo.self, Decrypt.self, Lint.self, ImageBench.self, ImgtoolVersion.self,
        ]
    )

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate a key pair (PKCS#8 PEM, as imgtool).")
        @Option(name: [.short, .long], help: "Output file.") var key: String
        @Option(
            name: [.short, .customLong("type")],
            help: "rsa-2048, rsa-3072, ecdsa-p256, ecdsa-p384, ed25519, x25519."
        )
        var type: String
        @Flag(name: [.short, .customLong("password")], help: "Not supported: keys are written unencrypted.")
        var password = false

        func run() throws {
            guard let t = ImageKeyType(rawValue: type) else {
                throw CLIError(
                    "keygen: unknown key type \"\(type)\" (\(ImageKeyType.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            if password { throw CLIError("keygen: password-protected keys are not supported") }
            let k = try imageCall { () throws(ImageError) in try ImagePrivateKey.generate(t) }
            try writeFile(key, Array(k.pkcs8PEM.utf8))
        }
    }

    struct GetPub: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "getpub",
            abstract: "Print the public key the bootloader embeds."
        )
        @Option(name: [.short, .long]) var key: String
        @Option(name: [.short, .long], help: "lang-c, lang-rust, pem or raw (default: lang-c).") var encoding: String?
        @Option(name: [.short, .long], help: ArgumentHelp("c or rust (deprecated: use -e).", visibility: .hidden))
        var lang: String?
        @Option(name: [.short, .long], help: "Write to this file instead of stdout.") var output: String?
        @Option(name: .long, help: "Suffix for the array name (C and Rust only).") var nameSuffix: String?

        func run() throws {
            var encoding = encoding ?? "lang-c"
            if let lang {
                guard lang == "c" || lang == "rust" else {
                    throw CLIError("getpub: --lang \"\(lang)\" is not c or rust")
                }
                if self.encoding != nil { throw CLIError("getpub: give -e/--encoding or -l/--lang, not both") }
                encoding = "lang-" + lang
            }
            try checkNameSuffix(nameSuffix)
            let pub = try loadKey(key).publicKey
            let name = arrayPrefix(pub)
            let out: [UInt8]
            switch encoding {
            case "lang-c": out = Array(cArray(name + "_pub_key" + (nameSuffix ?? ""), pub.embeddedBytes).utf8)
            case "lang-rust":
                out = Array(rustArray((name + "_pub_key" + (nameSuffix ?? "")).uppercased(), pub.embeddedBytes).utf8)
            case "pem", "raw":
                if nameSuffix?.isEmpty == false {
                    throw CLIError("getpub: --name-suffix applies to lang-c and lang-rust only")
                }
                out = encoding == "pem" ? Array(pub.spkiPEM.utf8) : pub.embeddedBytes
            default: throw CLIError("getpub: unknown encoding \"\(encoding)\" (lang-c, lang-rust, pem, raw)")
            }
            if let output { try writeFile(output, out) } else { FileHandle.standardOutput.write(Data(out)) }
        }
    }

    struct GetPubHash: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "getpubhash",
            abstract: "Print the SHA-256 of the public key the bootloader embeds (what imgtool's getpubhash prints)."
        )
        @Option(name: [.short, .long]) var key: String
        @Option(name: [.short, .long], help: "lang-c or raw.") var encoding = "lang-c"
        @Option(name: [.short, .long], help: "Write to this file instead of stdout.") var output: String?
        @Option(name: .long, help: "Suffix for the array name ([A-Za-z0-9_]; lang-c only).") var nameSuffix: String?

        func run() throws {
            guard encoding == "lang-c" || encoding == "raw" else {
                throw CLIError("getpubhash: unknown encoding \"\(encoding)\" (lang-c, raw)")
            }
            try checkNameSuffix(nameSuffix)
            if encoding == "raw" && nameSuffix?.isEmpty == false {
                throw CLIError("getpubhash: --name-suffix applies to lang-c only")
            }
            let pub = try loadKey(key).publicKey
            // Always SHA-256, as imgtool: for P-384 and SHA-512 images the KEYHASH is a different hash.
            let hash = pub.keyHash(.sha256)
            let out =
                encoding == "raw"
                ? hash : Array(cArray(arrayPrefix(pub) + "_pub_key_hash" + (nameSuffix ?? ""), hash).utf8)
            if let output { try writeFile(output, out) } else { FileHandle.standardOutput.write(Data(out)) }
        }
    }

    struct KeyInfo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keyinfo",
            abstract: "Print whether a key file holds a private key or only a public one."
        )
        @Option(name: [.short, .long]) var key: String
        @Option(name: .long, help: "private or public: exit 2 if the key is not that kind.") var require: String?

        func run() throws {
            if let require, require != "private" && require != "public" {
                throw CLIError("keyinfo: --require \"\(require)\" is not private or public")
            }
            let kind: String
            switch try loadKey(key) {
            case .privateKey: kind = "private"
            case .publicKey: kind = "public"
            }
            // imgtool prints the kind before it refuses a mismatch.
            Console.out(kind + "\n")
            if let require, require != kind {
                throw CLIError("\(key): the key is \(kind), but \(require) was required")
            }
        }
    }

    struct ImgtoolVersion: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "version",
            abstract: "Print b2c's version (imgtool prints its own here)."
        )
        func run() throws { Console.out(B2C.version + "\n") }
    }

    struct GetPriv: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "getpriv",
            abstract: "Print the private key as a C array (for a device that decrypts)."
        )
        @Option(name: [.short, .long]) var key: String
        @Option(
            name: [.short, .customLong("format")],
            help: "openssl (SEC1 / PKCS#1) or pkcs8; default: pkcs8 for EC and X25519, PKCS#1 for RSA."
        )
        var format: String?
        @Flag(name: .long, help: "Not supported.") var minimal = false

        func run() throws {
            guard case .privateKey(let k) = try loadKey(key) else {
                throw CLIError("getpriv: \(key) holds no private key")
            }
            if minimal { throw CLIError("getpriv: --minimal is not supported") }
            if let format, format != "pkcs8" && format != "openssl" {
                throw CLIError("getpriv: unknown format \"\(format)\" (openssl, pkcs8)")
            }
            let der: [UInt8]
            switch (k, format) {
            case (.ed25519, _): throw CLIError("getpriv: Ed25519 keys sign; only decryption keys are exported")
            case (.rsa, "pkcs8"): throw CLIError("getpriv: RSA keys are exported as PKCS#1 only (-f openssl)")
            case (.rsa, _): der = k.pkcs1DER ?? []
            case (.x25519, "openssl"): throw CLIError("getpriv: X25519 keys are exported as PKCS#8 only")
            case (_, "openssl"): der = try imageCall { () throws(ImageError) in try k.sec1DER() }
            default: der = k.pkcs8DER
            }
            Console.out(cArray("enc_priv_key", der))
        }
    }
}

/// imgtool's short name of a key type, which starts its C and Rust array names.
private func arrayPrefix(_ key: ImagePublicKey) -> String {
    switch key.type {
    case .rsa2048, .rsa3072: "rsa"
    case .ecdsaP256: "ecdsa"
    case .ecdsaP384: "ecdsap384"
    case .ed25519, .x25519: key.type.rawValue
    }
}

/// `--name-suffix` is appended to a C or Rust identifier, so imgtool takes only `[A-Za-z0-9_]`.
private func checkNameSuffix(_ suffix: String?) throws(CLIError) {
    guard let suffix else { return }
    let allowed = suffix.unicodeScalars.allSatisfy { s in
        s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }
    if !allowed {
        throw CLIError("--name-suffix \"\(suffix)\": only letters, digits and _ (it ends a C or Rust identifier)")
    }
}

/// imgtool's C array layout: eight bytes a line.
func cArray(_ name: String, _ bytes: [UInt8]) -> String {
    "/* Autogenerated by b2c, do not edit. */\nconst unsigned char \(name)[] = {\n" + arrayLines(bytes)
        + "};\nconst unsigned int \(name)_len = \(bytes.count);\n"
}

func rustArray(_ name: String, _ bytes: [UInt8]) -> String {
    "/* Autogenerated by b2c, do not edit. */\nstatic \(name): &[u8] = &[\n" + arrayLines(bytes) + "];\n"
}

private func arrayLines(_ bytes: [UInt8]) -> String {
    stride(from: 0, to: bytes.count, by: 8).map { i in
        "    " + bytes[i..<min(i + 8, bytes.count)].map { "0x" + hex2($0) + "," }.joined(separator: " ") + "\n"
    }.joined()
}

func hex2(_ b: UInt8) -> String { b < 16 ? "0" + String(b, radix: 16) : String(b, radix: 16) }

/// Runs an image-library call, turning its typed error into a one-line configuration error (exit 2).
func imageCall<T>(_ body: () throws(ImageError) -> T) throws(CLIError) -> T {
    do { return try body() } catch { throw CLIError(error.reason) }
}

func readFile(_ path: String) throws(CLIError) -> [UInt8] { try FileAccess.read(path) }

func writeFile(_ path: String, _ bytes: [UInt8]) throws(CLIError) { try FileAccess.write(bytes, to: path) }

func loadKey(_ path: String) throws(CLIError) -> ImageKeyMaterial {
    let bytes = try readFile(path)
    do { return try ImageKeyFile.load(bytes) } catch { throw CLIError("\(path): \(error.reason)") }
}

/// imgtool's integers: decimal, or with a 0x, 0o or 0b prefix.
func parseInteger(_ text: String, _ what: String) throws(CLIError) -> Int {
    let lower = text.lowercased()
    let (digits, radix): (Substring, Int) =
        lower.hasPrefix("0x")
        ? (lower.dropFirst(2), 16)
        : lower.hasPrefix("0o")
            ? (lower.dropFirst(2), 8)
            : lower.hasPrefix("0b") ? (lower.dropFirst(2), 2) : (Substring(lower), 10)
    guard !digits.isEmpty, let v = Int(digits, radix: radix), v >= 0 else {
        throw CLIError("\(what): \"\(text)\" is not a non-negative integer")
    }
    return v
}
