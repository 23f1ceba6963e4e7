import B2CImage
import Crypto

/// The keys every image vector is made with. They are published test keys: never use them for anything else.
///
/// Ed25519, P-256, P-384 and X25519 keys come from fixed scalars; the RSA keys were generated once with OpenSSL and
/// are kept here because RSA key generation cannot be seeded.
package enum VectorKeys {
    package static let ed25519: ImagePrivateKey = builtIn("Ed25519 key") {
        .ed25519(try .init(rawRepresentation: bytes(0x11, 32)))
    }
    package static let ed25519Second: ImagePrivateKey = builtIn("Ed25519 key") {
        .ed25519(try .init(rawRepresentation: bytes(0x12, 32)))
    }
    package static let ecdsaP256: ImagePrivateKey = builtIn("P-256 key") {
        .p256(try .init(rawRepresentation: bytes(0x21, 32)))
    }
    package static let ecdsaP384: ImagePrivateKey = builtIn("P-384 key") {
        .p384(try .init(rawRepresentation: bytes(0x31, 48)))
    }
    package static let x25519: ImagePrivateKey = builtIn("X25519 key") {
        .x25519(try .init(rawRepresentation: bytes(0x41, 32)))
    }
    package static let rsa2048 = load(rsa2048PEM)
    package static let rsa3072 = load(rsa3072PEM)

    static func bytes(_ v: UInt8, _ n: Int) -> [UInt8] { (0..<n).map { v &+ UInt8($0) } }

    static func load(_ pem: String) -> ImagePrivateKey {
        guard case .privateKey(let k)? = try? ImageKeyFile.load(Array(pem.utf8)) else { fatalError("bad built-in key") }
        return k
    }

    package static func signing(_ type: ImageKeyType) -> ImagePrivateKey {
        switch type {
        case .ed25519: ed25519
        case .ecdsaP256: ecdsaP256
        case .ecdsaP384: ecdsaP384
        case .rsa2048: rsa2048
        case .rsa3072: rsa3072
        case .x25519: x25519
        }
    }

    static let rsa2048PEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCsBA6b9ff8Jwpg
        MP8Mz0Fan9hn5RClSsXiByFfFBSznqn/gBBi+LiZnGwahkT1HgMLuLWdYUhqaq0U
        ZaWQt17GEzxAZEUoRp1jtAhM52Fb589qBMTJ4oDkPw7wN2XGv4iUlg6khKgROQR4
        Exh7vmA4iRG9vbJ6hf35cgqHZez1mtEnMOYQK2jR0dlHES+ZQscWWjNuXqCD7CAM
        ynnyQPDiGOYqd5CCZmwYcnoUls4H4B4lD5plktviL/TEx+81qpKhJwCYonrtRV7W
        hdRpBOMYEyvk+SVoJfdHhoDZgN5X9+/rr3S6Ch1Fb/uV8M/+Ztg5epHCzuHS2XN3
        GpCNbbhnAgMBAAECggEAOiIq38l6VBTLnGOipq0ajKqNw9r1y67f/nnjbNMIBgY+
        tJMOtqwRExT6seIjxuUsKVd0xWndw90mfki18hkOpglVKPvaJXjr8wiib38Y96r5
        fX58FTB/1+N5xHQsaMVNPs4Rx8bvV9a5rGzjrtpRgXnNbZ8BBQhoo1dHuKeZNA1e
        /2yQUKf1+cIjsUMxyY5+oZxFtl9G1h7804IIdPgQNM+V9ZKfSM7KycaESUj4/SPd
        GtKMBYKqcHBvWxozZfOs9vCb5E89G6FjC9dlBYTzGAhJWlG0JRq2eo75B+z4ZY5N
        UDERUtxHX+mgJVp6Qh1AadvvIZO7o7sRsk6Gm0rx8QKBgQDTDTQMaSIm3JxVs/GW
        eprSm6RR7Zqx1KPzgj8NkroN1Wax4vnScPnGK8YlA7XInz62RVDpwAiUUROOzkIP
        LwfcKnpUPyz+2HTXFaLsBSH53IhJE+Hylzg0rZ9MVf2+jJHOPw2rGcqbz9Y9A/rR
        hOn/Q5hsIKY7AAXN4cQbErlhNwKBgQDQppOwiu3Jp/OkvhTRw6jlE53vHHw7ySs7
        hVbWy+01/mUixbaQnxgagE3sSrVK8UHyxjXzaapvegHbX0mBgADN7nPpgulSyOwr
        htu+QVa8ZeHSy7E1RMqO6jeEavBsBYGYfoP79qDQDFJF0IlPRC40RqG6B+iR1vw/
        D/C3svy6UQKBgQCtQseZ8K1SzgWh7gnFCX4UrCWoBLHcj77Q5/ovgGcxeCHIo5eI
        Batn3wPZ20PfIaxwIlOcskPYzv6JXBarNGb1fgHTK9IanUS+VkrcDBKqdzuDEsmJ
        SE+iH28JUgbv6aLBeM4VyySj6WntyVidrMoU/z8gdWVCRnB9ZnyB5Us+3QKBgQCk
        dsjvXXL1gwdPkezDM2DLwFy6/08FqRoEvqOmh/OgnbeGYyX2dREAwqWpXXHtcqGz
        BX29Mkr/t8IC8ubzxrvbltuS8neLo4hU/uXy33nI4t3P1HMINAMeB4xfOhPscaKn
        WwIZ91rm4u9uzGOPMYTh+9K62kT9v+Hwq1Xo1pLTIQKBgAISp9I8Ag+j3ZLtA3WV
        JFGuorXdJsLn+3OmuilrAdP1ysCbMjLeYqkeladYH3dX/WpI9z+8lZz4bPcGjr5j
        GvbvKegkBwwBx6QSj/AJd+sxgMBZsxLFHpbo9ugjNkTRf1moB3drS8S7Pkoud/uO
        xPOiPZU9sq61Euha53SqoGI1
        -----END PRIVATE KEY-----
        """

    static let rsa3072PEM = """
        -----BEGIN PRIVATE KEY-----
        MIIG/AIBADANBgkqhkiG9w0BAQEFAASCBuYwggbiAgEAAoIBgQDBOJ0yxlPNE+wM
        oNFywq0hYMqPbE0LQCXbcpAe9N1wyPS+p8BQwewE5MR6db+rZQTZbw7I5jvwZNpA
        kY1AqtoSFOKwQ8JsUyaMaVNOLNxmjg4FUPkfZQPPjI1xGs93PSib5kccW+ispFlw
        OfUQRzIflA1V1uYg1aVbzCE7ZqHyLfw8HowssS7368gcH47+iw3jbx8Jjmaq+Ymy
        deP1U32KPpDR2ujs5q7ZKeUU3PnZ9NsaiP55zyAsOjjfcvYCHEJ+vv1ga4qgmKqA
        yXhYktml/jA2LfQV5Am4itkd+ZK/GK4tUZuL2UQPT3UI8Sb4Hqu38YRBT+swR1Xt
        h1vTX0AksUyE7gxuhlHPXaILJp5UE07/Ucs4a3Gbma+kAZ49LNDS9A5Wk8qYDjWO
        wQCPScubA8ZbqZh/mbGSIVPLGTM1aH3nrLwy995185mnbwyIBhmW4KZvOX0gwB8K
        BGqTrEQ4iuJeXJAmtfnxAxomzJug1iPjq8JzXy/Q/LEDL037hK8CAwEAAQKCAYAE
        cgZnDHPeUpudfFzodGnCGQiWaibcbM2YkepjVYp7gmdKTgofqyAZ/YVqGw43P3i8
        4+nSkQsTlps3qkgDExGdu656rbE21GbqCuMbkYhBZJOwANMdqzF+QFaUu2NgjYV2
        QlykEcoPOfmQzaFbJ+tgTJ2BIK0xiv8yvUYnQeih7ZFRdMZ21MPzq90+85iGBLIw
        gSlh1+cTmFaLRsKuFA13jviLMd7ABikQEZjiqDIOlxKSnR11tS066nZnT0bK36Mh
        wpyPvvBPsgy2x7lnZtBr/QsKpYXjkcgM9/6x/GrWbSNj0zhDrJyeTTS758O4pxkY
        iD+hNBqcgHbYuK9S1uwcuNskxrBxi5NTcWPXYhAWFtDx7F9zmVk0QsP1uTbbugPH
        PcO0+9jakjqAglWmNnup7k3o/CjcbPn2wXtlyhV1FCGEA5xhFCcFiSrF4IG3wHm6
        0u/dOFgWSwjFCHA2MLR0dCyHVcmStuTUb8k/v/UPlJroQW31MHBbBTTYaQLwLeEC
        gcEA6ohszvg5gtQXI5vFUcuDK4VUhFTWYkN4UTJX0xsIl4xHdobQ6fFWjijxbcgt
        KBrSXeSEHhxCwmSDtsgK7Z7kqkq4TjNeVb5UqFTfH0ibQN5oEjkISvJl6O5D9vT1
        25k+cTt29hahczwNxnX4p6ahWVq1B83C1WvRNyolxInBd4ieI93WZEEQrInvmJ09
        QwKP8WcEXrOQXFD5jw6+UnTrTmPcf2EYBceRXXyc81TJpIyTNa/9dUwbQtqIv6rO
        TZ8fAoHBANLoK/7XlNqtCsA5ULNGo0ES+5lNqqP2EVPHZZ72CKLQyZGBiBheQFb4
        1hFy3HiStr6j4HsgianXQCsT7bj9FIjwiLse/ChUhhjSE6QiBAAA8UJgR1RuAlu2
        Jb5wj8XFO5QoFIQvbWTQwDDfqqsjTgtnJpHABCdwd6TqYtD2dg+CMDe/wQ0R/qK0
        NwFB3iqqHZzwzmtbJ7W+htKrKgaWSGJ9g4bG4sT/vGSyPqnfy0XK5DylhF6dOcu0
        F59CU2a4cQKBwFCWVgT8CA7rP5Qttyx26Hhw1OyvlgantlT4HnNca6RfQEL66hgo
        pBwu915IlTOdm8FFfxw1i77t+NA6hn7FxT66c//y6Kw/vSkmGJDQSwCMK2hvjmjq
        R5g1HsdhvoUZb/pKe4LtncZR0U3rRWid+f0RDPlEe3kIFhiFc/rHduHS4LvkQwGp
        1cfjkZ94EA/RdpJ1WmwL+UOvU0ETyNPedug1qhNe0nlR7KIZ6ng2Hx9aak7dTRMb
        9pYPL0PktgS38wKBwEOrwxIN0fEoPJ7YxRAAxjkHAjt6NBpPxdd/zxdmEfdLzqEl
        Uqme9D3zsZv/osX9LS2WH1ziX8ljC2/HASut6HzX0MdZdcbq9+vW2/55+5aUttR5
        V+m7Mn6CvzGPpFHsquUqxwpyvULvx/rmiThIJ6549mMlnS+aYolDu1kY+2CWgSoi
        GKs87tr9v/hjTgmac837ZgAES4WBEHlf+igK6EbRxvXjsrdK5wPYPUr8R5ipNPpQ
        kVxaTkUSD9JF0cTPwQKBwA5NiFXD2cZfWv2Lw9pTU0XqMwNUg7rbv7k9SIfwxG0E
        6og21YYGUAjBlYbuRdBDnZ83J7gIpgvRH4dWyriZ/VdBRDuH+Bm0+Ftt0d5EgIOU
        QM+PMIStrqQImw+cZjaJZxdUVh1B2Hr0K9zUyXOplpR+bT3vYPlAHdGoCew2JeZF
        ZIMNEJK/uqHiF1G9Q+zC9u/fmyrxwT7Kc/JReccw45ET0wy+XvcMKYHl5Oeo6y6c
        SE0PrPYPUIsYq1sfpqofXQ==
        -----END PRIVATE KEY-----
        """
}
