/// Facts from RFC 8949, typed in from the RFC text. Data only: no logic besides the literals.
///
/// Sources (all RFC 8949, December 2020):
/// - `appendixA`: Appendix A, Table 6, every row in the RFC's order. RFC 8949 dropped RFC 7049's `simple(24)` /
///   `0xf818` row (that encoding is not well-formed, Appendix F.1), so the table has 81 rows, not 82.
///   `hex` is the printed "Encoded" column without its `0x`; `diagnostic` is the printed "Diagnostic" column, with
///   the two rows that the RFC wraps over several lines joined by single spaces.
/// - `appendixF`: the 94 examples of Appendix F.1, in order. The code is the class the RFC files the example under:
///   error kind 2 (too little data) is `cbor.truncated`; the five subkinds of kind 3 (syntax error) map to the codes
///   in `docs/error-codes.md`. Comments use the RFC's own numbering ("kind 3 subkind 1" = reserved additional
///   information), which is one off from the "subkind" column of `docs/error-codes.md`.
/// - `validity`: constructed well-formed but invalid items (§5.3: §3.1, §3.2.3, §3.4, §5.6).
/// - `determinism`: constructed valid items that the §4.2.1 core deterministic encoding requirements forbid.
///
/// Where an item breaks more than one rule, its code is the one a strict decoder reading left to right meets first.
/// Checked against cbor-diag 1.2.0 (`cbor2diag`), cbor2 and libcbor 0.8 by a throwaway script outside the repository.
package enum RFC8949Tables {
    /// One Appendix A example.
    package struct Example: Sendable {
        /// Lowercase hex, as printed in Appendix A (without the `0x`).
        package let hex: String
        /// The diagnostic notation exactly as the RFC prints it.
        package let diagnostic: String
        /// The RFC 8949 §4.2.1 core deterministic encoding of the same data-model value: definite lengths, the
        /// shortest float that keeps the value (NaN: §4.1 right zero-padding rule), keys in bytewise order.
        package let deterministicHex: String
        /// Where the row comes from, e.g. "Appendix A: integer 24".
        package let comment: String
    }

    /// Every example of Appendix A, Table 6, in order.
    package static let appendixA: [Example] = [
        Example(hex: "00", diagnostic: "0", deterministicHex: "00", comment: "Appendix A: integer 0"),
        Example(hex: "01", diagnostic: "1", deterministicHex: "01", comment: "Appendix A: integer 1"),
        Example(hex: "0a", diagnostic: "10", deterministicHex: "0a", comment: "Appendix A: integer 10"),
        Example(hex: "17", diagnostic: "23", deterministicHex: "17", comment: "Appendix A: integer 23"),
        Example(hex: "1818", diagnostic: "24", deterministicHex: "1818", comment: "Appendix A: integer 24"),
        Example(hex: "1819", diagnostic: "25", deterministicHex: "1819", comment: "Appendix A: integer 25"),
        Example(hex: "1864", diagnostic: "100", deterministicHex: "1864", comment: "Appendix A: integer 100"),
        Example(hex: "1903e8", diagnostic: "1000", deterministicHex: "1903e8", comment: "Appendix A: integer 1000"),
        Example(
            hex: "1a000f4240",
            diagnostic: "1000000",
            deterministicHex: "1a000f4240",
            comment: "Appendix A: integer 1000000"
        ),
        Example(
            hex: "1b000000e8d4a51000",
            diagnostic: "1000000000000",
            deterministicHex: "1b000000e8d4a51000",
            comment: "Appendix A: integer 1000000000000"
        ),
        Example(
            hex: "1bffffffffffffffff",
            diagnostic: "18446744073709551615",
            deterministicHex: "1bffffffffffffffff",
            comment: "Appendix A: integer 2^64-1"
        ),
        Example(
            hex: "c249010000000000000000",
            diagnostic: "18446744073709551616",
            deterministicHex: "c249010000000000000000",
            comment: "Appendix A: unsigned bignum 2^64 (tag 2)"
        ),
        Example(
            hex: "3bffffffffffffffff",
            diagnostic: "-18446744073709551616",
            deterministicHex: "3bffffffffffffffff",
            comment: "Appendix A: negative integer -2^64"
        ),
        Example(
            hex: "c349010000000000000000",
            diagnostic: "-18446744073709551617",
            deterministicHex: "c349010000000000000000",
            comment: "Appendix A: negative bignum -2^64-1 (tag 3)"
        ),
        Example(hex: "20", diagnostic: "-1", deterministicHex: "20", comment: "Appendix A: integer -1"),
        Example(hex: "29", diagnostic: "-10", deterministicHex: "29", comment: "Appendix A: integer -10"),
        Example(hex: "3863", diagnostic: "-100", deterministicHex: "3863", comment: "Appendix A: integer -100"),
        Example(hex: "3903e7", diagnostic: "-1000", deterministicHex: "3903e7", comment: "Appendix A: integer -1000"),
        Example(hex: "f90000", diagnostic: "0.0", deterministicHex: "f90000", comment: "Appendix A: half float 0.0"),
        Example(hex: "f98000", diagnostic: "-0.0", deterministicHex: "f98000", comment: "Appendix A: half float -0.0"),
        Example(hex: "f93c00", diagnostic: "1.0", deterministicHex: "f93c00", comment: "Appendix A: half float 1.0"),
        Example(
            hex: "fb3ff199999999999a",
            diagnostic: "1.1",
            deterministicHex: "fb3ff199999999999a",
            comment: "Appendix A: double float 1.1"
        ),
        Example(hex: "f93e00", diagnostic: "1.5", deterministicHex: "f93e00", comment: "Appendix A: half float 1.5"),
        Example(
            hex: "f97bff",
            diagnostic: "65504.0",
            deterministicHex: "f97bff",
            comment: "Appendix A: half float 65504.0 (largest half)"
        ),
        Example(
            hex: "fa47c35000",
            diagnostic: "100000.0",
            deterministicHex: "fa47c35000",
            comment: "Appendix A: single float 100000.0"
        ),
        Example(
            hex: "fa7f7fffff",
            diagnostic: "3.4028234663852886e+38",
            deterministicHex: "fa7f7fffff",
            comment: "Appendix A: single float 3.4028234663852886e+38 (largest single)"
        ),
        Example(
            hex: "fb7e37e43c8800759c",
            diagnostic: "1.0e+300",
            deterministicHex: "fb7e37e43c8800759c",
            comment: "Appendix A: double float 1.0e+300"
        ),
        Example(
            hex: "f90001",
            diagnostic: "5.960464477539063e-8",
            deterministicHex: "f90001",
            comment: "Appendix A: half float 5.960464477539063e-8 (smallest half subnormal)"
        ),
        Example(
            hex: "f90400",
            diagnostic: "0.00006103515625",
            deterministicHex: "f90400",
            comment: "Appendix A: half float 0.00006103515625 (smallest half normal)"
        ),
        Example(hex: "f9c400", diagnostic: "-4.0", deterministicHex: "f9c400", comment: "Appendix A: half float -4.0"),
        Example(
            hex: "fbc010666666666666",
            diagnostic: "-4.1",
            deterministicHex: "fbc010666666666666",
            comment: "Appendix A: double float -4.1"
        ),
        Example(
            hex: "f97c00",
            diagnostic: "Infinity",
            deterministicHex: "f97c00",
            comment: "Appendix A: half float Infinity"
        ),
        Example(hex: "f97e00", diagnostic: "NaN", deterministicHex: "f97e00", comment: "Appendix A: half float NaN"),
        Example(
            hex: "f9fc00",
            diagnostic: "-Infinity",
            deterministicHex: "f9fc00",
            comment: "Appendix A: half float -Infinity"
        ),
        Example(
            hex: "fa7f800000",
            diagnostic: "Infinity",
            deterministicHex: "f97c00",
            comment: "Appendix A: single float Infinity"
        ),
        Example(
            hex: "fa7fc00000",
            diagnostic: "NaN",
            deterministicHex: "f97e00",
            comment: "Appendix A: single float NaN"
        ),
        Example(
            hex: "faff800000",
            diagnostic: "-Infinity",
            deterministicHex: "f9fc00",
            comment: "Appendix A: single float -Infinity"
        ),
        Example(
            hex: "fb7ff0000000000000",
            diagnostic: "Infinity",
            deterministicHex: "f97c00",
            comment: "Appendix A: double float Infinity"
        ),
        Example(
            hex: "fb7ff8000000000000",
            diagnostic: "NaN",
            deterministicHex: "f97e00",
            comment: "Appendix A: double float NaN"
        ),
        Example(
            hex: "fbfff0000000000000",
            diagnostic: "-Infinity",
            deterministicHex: "f9fc00",
            comment: "Appendix A: double float -Infinity"
        ),
        Example(hex: "f4", diagnostic: "false", deterministicHex: "f4", comment: "Appendix A: false"),
        Example(hex: "f5", diagnostic: "true", deterministicHex: "f5", comment: "Appendix A: true"),
        Example(hex: "f6", diagnostic: "null", deterministicHex: "f6", comment: "Appendix A: null"),
        Example(hex: "f7", diagnostic: "undefined", deterministicHex: "f7", comment: "Appendix A: undefined"),
        Example(hex: "f0", diagnostic: "simple(16)", deterministicHex: "f0", comment: "Appendix A: simple(16)"),
        Example(hex: "f8ff", diagnostic: "simple(255)", deterministicHex: "f8ff", comment: "Appendix A: simple(255)"),
        Example(
            hex: "c074323031332d30332d32315432303a30343a30305a",
            diagnostic: #"0("2013-03-21T20:04:00Z")"#,
            deterministicHex: "c074323031332d30332d32315432303a30343a30305a",
            comment: "Appendix A: tag 0 date/time string"
        ),
        Example(
            hex: "c11a514b67b0",
            diagnostic: "1(1363896240)",
            deterministicHex: "c11a514b67b0",
            comment: "Appendix A: tag 1 epoch integer"
        ),
        Example(
            hex: "c1fb41d452d9ec200000",
            diagnostic: "1(1363896240.5)",
            deterministicHex: "c1fb41d452d9ec200000",
            comment: "Appendix A: tag 1 epoch float"
        ),
        Example(
            hex: "d74401020304",
            diagnostic: "23(h'01020304')",
            deterministicHex: "d74401020304",
            comment: "Appendix A: tag 23 expected base16"
        ),
        Example(
            hex: "d818456449455446",
            diagnostic: "24(h'6449455446')",
            deterministicHex: "d818456449455446",
            comment: "Appendix A: tag 24 encoded CBOR data item"
        ),
        Example(
            hex: "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
            diagnostic: #"32("http://www.example.com")"#,
            deterministicHex: "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
            comment: "Appendix A: tag 32 URI"
        ),
        Example(hex: "40", diagnostic: "h''", deterministicHex: "40", comment: "Appendix A: empty byte string"),
        Example(
            hex: "4401020304",
            diagnostic: "h'01020304'",
            deterministicHex: "4401020304",
            comment: "Appendix A: byte string of 4 bytes"
        ),
        Example(hex: "60", diagnostic: #""""#, deterministicHex: "60", comment: "Appendix A: empty text string"),
        Example(hex: "6161", diagnostic: #""a""#, deterministicHex: "6161", comment: #"Appendix A: text string "a""#),
        Example(
            hex: "6449455446",
            diagnostic: #""IETF""#,
            deterministicHex: "6449455446",
            comment: #"Appendix A: text string "IETF""#
        ),
        Example(
            hex: "62225c",
            diagnostic: #""\"\\""#,
            deterministicHex: "62225c",
            comment: "Appendix A: text string with escapes"
        ),
        Example(
            hex: "62c3bc",
            diagnostic: #""\u00fc""#,
            deterministicHex: "62c3bc",
            comment: "Appendix A: text string U+00FC"
        ),
        Example(
            hex: "63e6b0b4",
            diagnostic: #""\u6c34""#,
            deterministicHex: "63e6b0b4",
            comment: "Appendix A: text string U+6C34"
        ),
        Example(
            hex: "64f0908591",
            diagnostic: #""\ud800\udd51""#,
            deterministicHex: "64f0908591",
            comment: "Appendix A: text string U+10151 (4-byte UTF-8)"
        ),
        Example(hex: "80", diagnostic: "[]", deterministicHex: "80", comment: "Appendix A: empty array"),
        Example(
            hex: "83010203",
            diagnostic: "[1, 2, 3]",
            deterministicHex: "83010203",
            comment: "Appendix A: array [1, 2, 3]"
        ),
        Example(
            hex: "8301820203820405",
            diagnostic: "[1, [2, 3], [4, 5]]",
            deterministicHex: "8301820203820405",
            comment: "Appendix A: nested arrays"
        ),
        Example(
            hex: "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
            diagnostic: "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]",
            deterministicHex: "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
            comment: "Appendix A: array of 25 items (one-byte length)"
        ),
        Example(hex: "a0", diagnostic: "{}", deterministicHex: "a0", comment: "Appendix A: empty map"),
        Example(
            hex: "a201020304",
            diagnostic: "{1: 2, 3: 4}",
            deterministicHex: "a201020304",
            comment: "Appendix A: map with integer keys"
        ),
        Example(
            hex: "a26161016162820203",
            diagnostic: #"{"a": 1, "b": [2, 3]}"#,
            deterministicHex: "a26161016162820203",
            comment: "Appendix A: map with text keys and array value"
        ),
        Example(
            hex: "826161a161626163",
            diagnostic: #"["a", {"b": "c"}]"#,
            deterministicHex: "826161a161626163",
            comment: "Appendix A: array holding a map"
        ),
        Example(
            hex: "a56161614161626142616361436164614461656145",
            diagnostic: #"{"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"}"#,
            deterministicHex: "a56161614161626142616361436164614461656145",
            comment: "Appendix A: map with 5 text keys"
        ),
        Example(
            hex: "5f42010243030405ff",
            diagnostic: "(_ h'0102', h'030405')",
            deterministicHex: "450102030405",
            comment: "Appendix A: indefinite-length byte string"
        ),
        Example(
            hex: "7f657374726561646d696e67ff",
            diagnostic: #"(_ "strea", "ming")"#,
            deterministicHex: "6973747265616d696e67",
            comment: "Appendix A: indefinite-length text string"
        ),
        Example(
            hex: "9fff",
            diagnostic: "[_ ]",
            deterministicHex: "80",
            comment: "Appendix A: empty indefinite-length array"
        ),
        Example(
            hex: "9f018202039f0405ffff",
            diagnostic: "[_ 1, [2, 3], [_ 4, 5]]",
            deterministicHex: "8301820203820405",
            comment: "Appendix A: indefinite-length array with an indefinite inner array"
        ),
        Example(
            hex: "9f01820203820405ff",
            diagnostic: "[_ 1, [2, 3], [4, 5]]",
            deterministicHex: "8301820203820405",
            comment: "Appendix A: indefinite-length outer array"
        ),
        Example(
            hex: "83018202039f0405ff",
            diagnostic: "[1, [2, 3], [_ 4, 5]]",
            deterministicHex: "8301820203820405",
            comment: "Appendix A: indefinite-length inner array (last)"
        ),
        Example(
            hex: "83019f0203ff820405",
            diagnostic: "[1, [_ 2, 3], [4, 5]]",
            deterministicHex: "8301820203820405",
            comment: "Appendix A: indefinite-length inner array (middle)"
        ),
        Example(
            hex: "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
            diagnostic: "[_ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]",
            deterministicHex: "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
            comment: "Appendix A: indefinite-length array of 25 items"
        ),
        Example(
            hex: "bf61610161629f0203ffff",
            diagnostic: #"{_ "a": 1, "b": [_ 2, 3]}"#,
            deterministicHex: "a26161016162820203",
            comment: "Appendix A: indefinite-length map with an indefinite array value"
        ),
        Example(
            hex: "826161bf61626163ff",
            diagnostic: #"["a", {_ "b": "c"}]"#,
            deterministicHex: "826161a161626163",
            comment: "Appendix A: array holding an indefinite-length map"
        ),
        Example(
            hex: "bf6346756ef563416d7421ff",
            diagnostic: #"{_ "Fun": true, "Amt": -2}"#,
            deterministicHex: "a263416d74216346756ef5",
            comment: "Appendix A: indefinite-length map with unsorted keys"
        ),
    ]

    /// One invalid item.
    package struct Invalid: Sendable {
        /// Lowercase hex of the whole input.
        package let hex: String
        /// The expected error code, from `docs/error-codes.md`.
        package let code: String
        /// Where the item comes from and why it fails.
        package let comment: String
    }

    /// The 94 not-well-formed examples of Appendix F.1, in the RFC's order, each with the code of its group.
    package static let appendixF: [Invalid] = [
        Invalid(hex: "18", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: 18"),
        Invalid(hex: "19", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: 19"),
        Invalid(hex: "1a", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: 1a"),
        Invalid(hex: "1b", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: 1b"),
        Invalid(hex: "1901", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: 19 01"),
        Invalid(
            hex: "1a0102",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, end of input in a head: 1a 01 02"
        ),
        Invalid(
            hex: "1b01020304050607",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, end of input in a head: 1b 01 02 03 04 05 06 07"
        ),
        Invalid(hex: "38", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: 38"),
        Invalid(hex: "58", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: 58"),
        Invalid(hex: "78", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: 78"),
        Invalid(hex: "98", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: 98"),
        Invalid(
            hex: "9a01ff00",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, end of input in a head: 9a 01 ff 00"
        ),
        Invalid(hex: "b8", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: b8"),
        Invalid(hex: "d8", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: d8"),
        Invalid(hex: "f8", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: f8"),
        Invalid(hex: "f900", code: "cbor.truncated", comment: "Appendix F.1 kind 2, end of input in a head: f9 00"),
        Invalid(
            hex: "fa0000",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, end of input in a head: fa 00 00"
        ),
        Invalid(
            hex: "fb000000",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, end of input in a head: fb 00 00 00"
        ),
        Invalid(
            hex: "41",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length string with short data: 41"
        ),
        Invalid(
            hex: "61",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length string with short data: 61"
        ),
        Invalid(
            hex: "5affffffff00",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length string with short data: 5a ff ff ff ff 00"
        ),
        Invalid(
            hex: "5bffffffffffffffff010203",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length string with short data: 5b ff ff ff ff ff ff ff ff 01 02 03"
        ),
        Invalid(
            hex: "7affffffff00",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length string with short data: 7a ff ff ff ff 00"
        ),
        Invalid(
            hex: "7b7fffffffffffffff010203",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length string with short data: 7b 7f ff ff ff ff ff ff ff 01 02 03"
        ),
        Invalid(
            hex: "81",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length array/map short of items: 81"
        ),
        Invalid(
            hex: "818181818181818181",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length array/map short of items: 81 81 81 81 81 81 81 81 81"
        ),
        Invalid(
            hex: "8200",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length array/map short of items: 82 00"
        ),
        Invalid(
            hex: "a1",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length array/map short of items: a1"
        ),
        Invalid(
            hex: "a20102",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length array/map short of items: a2 01 02"
        ),
        Invalid(
            hex: "a100",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length array/map short of items: a1 00"
        ),
        Invalid(
            hex: "a2000000",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, definite-length array/map short of items: a2 00 00 00"
        ),
        Invalid(hex: "c0", code: "cbor.truncated", comment: "Appendix F.1 kind 2, tag number without tag content: c0"),
        Invalid(
            hex: "5f4100",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length string without break: 5f 41 00"
        ),
        Invalid(
            hex: "7f6100",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length string without break: 7f 61 00"
        ),
        Invalid(
            hex: "9f",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length array/map without break: 9f"
        ),
        Invalid(
            hex: "9f0102",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length array/map without break: 9f 01 02"
        ),
        Invalid(
            hex: "bf",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length array/map without break: bf"
        ),
        Invalid(
            hex: "bf01020102",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length array/map without break: bf 01 02 01 02"
        ),
        Invalid(
            hex: "819f",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length array/map without break: 81 9f"
        ),
        Invalid(
            hex: "9f8000",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length array/map without break: 9f 80 00"
        ),
        Invalid(
            hex: "9f9f9f9f9fffffffff",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length array/map without break: 9f 9f 9f 9f 9f ff ff ff ff"
        ),
        Invalid(
            hex: "9f819f819f9fffffff",
            code: "cbor.truncated",
            comment: "Appendix F.1 kind 2, indefinite-length array/map without break: 9f 81 9f 81 9f 9f ff ff ff"
        ),
        Invalid(
            hex: "1c",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 28 in major type 0"
        ),
        Invalid(
            hex: "1d",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 29 in major type 0"
        ),
        Invalid(
            hex: "1e",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 30 in major type 0"
        ),
        Invalid(
            hex: "3c",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 28 in major type 1"
        ),
        Invalid(
            hex: "3d",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 29 in major type 1"
        ),
        Invalid(
            hex: "3e",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 30 in major type 1"
        ),
        Invalid(
            hex: "5c",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 28 in major type 2"
        ),
        Invalid(
            hex: "5d",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 29 in major type 2"
        ),
        Invalid(
            hex: "5e",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 30 in major type 2"
        ),
        Invalid(
            hex: "7c",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 28 in major type 3"
        ),
        Invalid(
            hex: "7d",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 29 in major type 3"
        ),
        Invalid(
            hex: "7e",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 30 in major type 3"
        ),
        Invalid(
            hex: "9c",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 28 in major type 4"
        ),
        Invalid(
            hex: "9d",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 29 in major type 4"
        ),
        Invalid(
            hex: "9e",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 30 in major type 4"
        ),
        Invalid(
            hex: "bc",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 28 in major type 5"
        ),
        Invalid(
            hex: "bd",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 29 in major type 5"
        ),
        Invalid(
            hex: "be",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 30 in major type 5"
        ),
        Invalid(
            hex: "dc",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 28 in major type 6"
        ),
        Invalid(
            hex: "dd",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 29 in major type 6"
        ),
        Invalid(
            hex: "de",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 30 in major type 6"
        ),
        Invalid(
            hex: "fc",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 28 in major type 7"
        ),
        Invalid(
            hex: "fd",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 29 in major type 7"
        ),
        Invalid(
            hex: "fe",
            code: "cbor.reserved_additional_info",
            comment: "Appendix F.1 kind 3 subkind 1, reserved additional information: 30 in major type 7"
        ),
        Invalid(
            hex: "f800",
            code: "cbor.reserved_simple_encoding",
            comment: "Appendix F.1 kind 3 subkind 2, reserved two-byte simple value: f8 00"
        ),
        Invalid(
            hex: "f801",
            code: "cbor.reserved_simple_encoding",
            comment: "Appendix F.1 kind 3 subkind 2, reserved two-byte simple value: f8 01"
        ),
        Invalid(
            hex: "f818",
            code: "cbor.reserved_simple_encoding",
            comment: "Appendix F.1 kind 3 subkind 2, reserved two-byte simple value: f8 18"
        ),
        Invalid(
            hex: "f81f",
            code: "cbor.reserved_simple_encoding",
            comment: "Appendix F.1 kind 3 subkind 2, reserved two-byte simple value: f8 1f"
        ),
        Invalid(
            hex: "5f00ff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk of the wrong type: 5f 00 ff"
        ),
        Invalid(
            hex: "5f21ff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk of the wrong type: 5f 21 ff"
        ),
        Invalid(
            hex: "5f6100ff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk of the wrong type: 5f 61 00 ff"
        ),
        Invalid(
            hex: "5f80ff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk of the wrong type: 5f 80 ff"
        ),
        Invalid(
            hex: "5fa0ff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk of the wrong type: 5f a0 ff"
        ),
        Invalid(
            hex: "5fc000ff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk of the wrong type: 5f c0 00 ff"
        ),
        Invalid(
            hex: "5fe0ff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk of the wrong type: 5f e0 ff"
        ),
        Invalid(
            hex: "7f4100ff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk of the wrong type: 7f 41 00 ff"
        ),
        Invalid(
            hex: "5f5f4100ffff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk not definite length: 5f 5f 41 00 ff ff"
        ),
        Invalid(
            hex: "7f7f6100ffff",
            code: "cbor.indefinite_chunk_type",
            comment: "Appendix F.1 kind 3 subkind 3, string chunk not definite length: 7f 7f 61 00 ff ff"
        ),
        Invalid(
            hex: "ff",
            code: "cbor.break_outside_indefinite",
            comment: "Appendix F.1 kind 3 subkind 4, break on its own: ff"
        ),
        Invalid(
            hex: "81ff",
            code: "cbor.break_outside_indefinite",
            comment: "Appendix F.1 kind 3 subkind 4, break in a definite-length item: 81 ff"
        ),
        Invalid(
            hex: "8200ff",
            code: "cbor.break_outside_indefinite",
            comment: "Appendix F.1 kind 3 subkind 4, break in a definite-length item: 82 00 ff"
        ),
        Invalid(
            hex: "a1ff",
            code: "cbor.break_outside_indefinite",
            comment: "Appendix F.1 kind 3 subkind 4, break in a definite-length item: a1 ff"
        ),
        Invalid(
            hex: "a1ff00",
            code: "cbor.break_outside_indefinite",
            comment: "Appendix F.1 kind 3 subkind 4, break in a definite-length item: a1 ff 00"
        ),
        Invalid(
            hex: "a100ff",
            code: "cbor.break_outside_indefinite",
            comment: "Appendix F.1 kind 3 subkind 4, break in a definite-length item: a1 00 ff"
        ),
        Invalid(
            hex: "a20000ff",
            code: "cbor.break_outside_indefinite",
            comment: "Appendix F.1 kind 3 subkind 4, break in a definite-length item: a2 00 00 ff"
        ),
        Invalid(
            hex: "9f81ff",
            code: "cbor.break_outside_indefinite",
            comment: "Appendix F.1 kind 3 subkind 4, break in a definite-length item: 9f 81 ff"
        ),
        Invalid(
            hex: "9f829f819f9fffffffff",
            code: "cbor.break_outside_indefinite",
            comment: "Appendix F.1 kind 3 subkind 4, break in a definite-length item: 9f 82 9f 81 9f 9f ff ff ff ff"
        ),
        Invalid(
            hex: "bf00ff",
            code: "cbor.break_in_map_value",
            comment: "Appendix F.1 kind 3 subkind 4, break in a map value position: bf 00 ff"
        ),
        Invalid(
            hex: "bf000000ff",
            code: "cbor.break_in_map_value",
            comment: "Appendix F.1 kind 3 subkind 4, break in a map value position: bf 00 00 00 ff"
        ),
        Invalid(
            hex: "1f",
            code: "cbor.indefinite_major_type",
            comment: "Appendix F.1 kind 3 subkind 5, additional information 31: with major type 0"
        ),
        Invalid(
            hex: "3f",
            code: "cbor.indefinite_major_type",
            comment: "Appendix F.1 kind 3 subkind 5, additional information 31: with major type 1"
        ),
        Invalid(
            hex: "df",
            code: "cbor.indefinite_major_type",
            comment: "Appendix F.1 kind 3 subkind 5, additional information 31: with major type 6"
        ),
    ]

    /// Well-formed but invalid items (RFC 8949 §5.3): duplicate keys (§5.6), invalid UTF-8 (§3.1, §3.2.3) and tag
    /// content of the wrong type for tags 0-5, 24 and 32-36 (§3.4). Expected with deterministic-encoding checks off:
    /// a few items also use a non-preferred encoding on purpose (noted in their comments).
    package static let validity: [Invalid] = [
        Invalid(hex: "a201010102", code: "cbor.duplicate_key", comment: "§5.6 duplicate key: {1: 1, 1: 2}"),
        Invalid(
            hex: "a20101180102",
            code: "cbor.duplicate_key",
            comment: "§5.6 duplicate key: 1 and 0x1801 are the same data-model integer (0x1801 is also non-shortest)"
        ),
        Invalid(
            hex: "a22000380001",
            code: "cbor.duplicate_key",
            comment: "§5.6 duplicate key: -1 as 0x20 and as 0x3800 (0x3800 is also non-shortest)"
        ),
        Invalid(hex: "a2616101616102", code: "cbor.duplicate_key", comment: #"§5.6 duplicate key: {"a": 1, "a": 2}"#),
        Invalid(hex: "a2416101416102", code: "cbor.duplicate_key", comment: "§5.6 duplicate key: {h'61': 1, h'61': 2}"),
        Invalid(
            hex: "a26161007f6161ff01",
            code: "cbor.duplicate_key",
            comment: #"§5.6 duplicate key: "a" and (_ "a") are the same text string (the second is also indefinite)"#
        ),
        Invalid(
            hex: "a2f93c0000fa3f80000001",
            code: "cbor.duplicate_key",
            comment: "§5.6 duplicate key: 1.0 as half and as single float (float width is not in the data model)"
        ),
        Invalid(
            hex: "a28201020082010201",
            code: "cbor.duplicate_key",
            comment: "§5.6 duplicate key: the array [1, 2] twice"
        ),
        Invalid(
            hex: "a2a1010200a1010201",
            code: "cbor.duplicate_key",
            comment: "§5.6 duplicate key: the map {1: 2} twice"
        ),
        Invalid(hex: "a2c10100c10101", code: "cbor.duplicate_key", comment: "§5.6 duplicate key: the tag 1(1) twice"),
        Invalid(
            hex: "81a201000101",
            code: "cbor.duplicate_key",
            comment: "§5.6 duplicate key in a map nested in an array: [{1: 0, 1: 1}]"
        ),
        Invalid(
            hex: "a3010002000100",
            code: "cbor.duplicate_key",
            comment: "§5.6 duplicate key, not adjacent: {1: 0, 2: 0, 1: 0}"
        ),
        Invalid(
            hex: "62c0ae",
            code: "cbor.invalid_utf8",
            comment: "§3.1 invalid UTF-8: overlong two-byte form of U+002E"
        ),
        Invalid(
            hex: "63e080af",
            code: "cbor.invalid_utf8",
            comment: "§3.1 invalid UTF-8: overlong three-byte form of U+002F"
        ),
        Invalid(
            hex: "64f08080af",
            code: "cbor.invalid_utf8",
            comment: "§3.1 invalid UTF-8: overlong four-byte form of U+002F"
        ),
        Invalid(hex: "63eda080", code: "cbor.invalid_utf8", comment: "§3.1 invalid UTF-8: encoded surrogate U+D800"),
        Invalid(hex: "63edbfbf", code: "cbor.invalid_utf8", comment: "§3.1 invalid UTF-8: encoded surrogate U+DFFF"),
        Invalid(
            hex: "66eda081edb080",
            code: "cbor.invalid_utf8",
            comment: "§3.1 invalid UTF-8: CESU-8 surrogate pair for U+10400"
        ),
        Invalid(
            hex: "61c3",
            code: "cbor.invalid_utf8",
            comment: "§3.1 invalid UTF-8: two-byte sequence truncated by the string length"
        ),
        Invalid(
            hex: "62e6b0",
            code: "cbor.invalid_utf8",
            comment: "§3.1 invalid UTF-8: three-byte sequence (U+6C34) truncated by the string length"
        ),
        Invalid(hex: "6180", code: "cbor.invalid_utf8", comment: "§3.1 invalid UTF-8: lone continuation byte"),
        Invalid(
            hex: "61ff",
            code: "cbor.invalid_utf8",
            comment: "§3.1 invalid UTF-8: byte 0xff never appears in UTF-8"
        ),
        Invalid(hex: "64f4908080", code: "cbor.invalid_utf8", comment: "§3.1 invalid UTF-8: code point above U+10FFFF"),
        Invalid(
            hex: "7f61616180ff",
            code: "cbor.invalid_utf8",
            comment: "§3.2.3 invalid UTF-8 in the second chunk of an indefinite-length text string"
        ),
        Invalid(
            hex: "7f61c361bcff",
            code: "cbor.invalid_utf8",
            comment: "§3.2.3 invalid UTF-8: U+00FC split across two chunks (each chunk must be valid on its own)"
        ),
        Invalid(
            hex: "a162c0ae00",
            code: "cbor.invalid_utf8",
            comment: "§3.1 invalid UTF-8 in a map key: overlong U+002E"
        ),
        Invalid(
            hex: "c001",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.1 tag 0 content is not a text string: 0(1)"
        ),
        Invalid(
            hex: "c040",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.1 tag 0 content is not a text string: 0(h'')"
        ),
        Invalid(
            hex: "c06a323031332d30332d3231",
            code: "cbor.invalid_tag_content",
            comment: #"§3.4.1 tag 0 text is not an RFC 3339 date-time: 0("2013-03-21")"#
        ),
        Invalid(
            hex: "c074323031332d30332d32317432303a30343a30307a",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.1 tag 0 with lowercase t and z: RFC 3339 allows them, the RFC 4287 §3.3 refinement does not"
        ),
        Invalid(
            hex: "c16a31333633383936323430",
            code: "cbor.invalid_tag_content",
            comment: #"§3.4.2 tag 1 content is not a number: 1("1363896240")"#
        ),
        Invalid(
            hex: "c1f5",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.2 tag 1 content is not a number: 1(true)"
        ),
        Invalid(
            hex: "c201",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.3 tag 2 content is not a byte string: 2(1)"
        ),
        Invalid(
            hex: "c260",
            code: "cbor.invalid_tag_content",
            comment: #"§3.4.3 tag 2 content is not a byte string: 2("")"#
        ),
        Invalid(
            hex: "c36161",
            code: "cbor.invalid_tag_content",
            comment: #"§3.4.3 tag 3 content is not a byte string: 3("a")"#
        ),
        Invalid(hex: "c401", code: "cbor.invalid_tag_content", comment: "§3.4.4 tag 4 content is not an array: 4(1)"),
        Invalid(hex: "c48101", code: "cbor.invalid_tag_content", comment: "§3.4.4 tag 4 array of one item: 4([1])"),
        Invalid(
            hex: "c483010203",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.4 tag 4 array of three items: 4([1, 2, 3])"
        ),
        Invalid(
            hex: "c482f93c0001",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.4 tag 4 exponent is a float: 4([1.0, 1])"
        ),
        Invalid(
            hex: "c482c2410101",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.4 tag 4 exponent is a bignum (must be major type 0 or 1): 4([2(h'01'), 1])"
        ),
        Invalid(
            hex: "c48201f93c00",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.4 tag 4 mantissa is a float: 4([1, 1.0])"
        ),
        Invalid(hex: "c5a0", code: "cbor.invalid_tag_content", comment: "§3.4.4 tag 5 content is not an array: 5({})"),
        Invalid(
            hex: "c582016161",
            code: "cbor.invalid_tag_content",
            comment: #"§3.4.4 tag 5 mantissa is a text string: 5([1, "a"])"#
        ),
        Invalid(
            hex: "c582410001",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.4 tag 5 exponent is a byte string: 5([h'00', 1])"
        ),
        Invalid(
            hex: "d81801",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.5.1 tag 24 content is not a byte string: 24(1)"
        ),
        Invalid(
            hex: "d8186161",
            code: "cbor.invalid_tag_content",
            comment: #"§3.4.5.1 tag 24 content is not a byte string: 24("a")"#
        ),
        Invalid(
            hex: "d81841ff",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.5.1 tag 24 byte string does not hold a well-formed item: 24(h'ff')"
        ),
        Invalid(
            hex: "d8204161",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.5.3 tag 32 content is not a text string: 32(h'61')"
        ),
        Invalid(
            hex: "d82100",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.5.3 tag 33 content is not a text string: 33(0)"
        ),
        Invalid(
            hex: "d82240",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.5.3 tag 34 content is not a text string: 34(h'')"
        ),
        Invalid(
            hex: "d823f5",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.5.3 tag 35 content is not a text string: 35(true)"
        ),
        Invalid(
            hex: "d82480",
            code: "cbor.invalid_tag_content",
            comment: "§3.4.5.3 tag 36 content is not a text string: 36([])"
        ),
    ]

    /// Valid items that the RFC 8949 §4.2.1 core deterministic encoding requirements forbid. Every item is otherwise
    /// valid; where an item breaks two §4.2.1 rules (marked "two violations") the code is the one met first.
    ///
    /// Deliberately absent: `f97e01` (a half-precision NaN with a payload). It is already the shortest float that
    /// preserves the value, so §4.2.1 does not forbid it; settling on the single NaN `f97e00` is an application choice
    /// that §4.2.2 leaves to protocols. Likewise `fa7fc00001` is preferred (no half keeps its payload), while
    /// `fa7fc02000` is not (its half form `f97e01`, zero-padded on the right, gives the same NaN back; see below).
    /// Also absent on purpose: bignums for values that fit major type 0/1 (§4.2.2 leaves that to the protocol).
    package static let determinism: [Invalid] = [
        Invalid(
            hex: "1801",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer 1 with a one-byte argument (preferred: 01)"
        ),
        Invalid(
            hex: "1817",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer 23 with a one-byte argument (preferred: 17)"
        ),
        Invalid(hex: "190001", code: "cbor.non_shortest_integer", comment: "§4.2.1 integer 1 with a two-byte argument"),
        Invalid(
            hex: "1900ff",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer 255 with a two-byte argument (preferred: 18ff)"
        ),
        Invalid(
            hex: "1a00000001",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer 1 with a four-byte argument"
        ),
        Invalid(
            hex: "1a0000ffff",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer 65535 with a four-byte argument (preferred: 19ffff)"
        ),
        Invalid(
            hex: "1b0000000000000001",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer 1 with an eight-byte argument"
        ),
        Invalid(
            hex: "1b00000000ffffffff",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer 4294967295 with an eight-byte argument (preferred: 1affffffff)"
        ),
        Invalid(
            hex: "3800",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer -1 with a one-byte argument (preferred: 20)"
        ),
        Invalid(
            hex: "3817",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer -24 with a one-byte argument (preferred: 37)"
        ),
        Invalid(
            hex: "390000",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer -1 with a two-byte argument"
        ),
        Invalid(
            hex: "3a0000ffff",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer -65536 with a four-byte argument (preferred: 39ffff)"
        ),
        Invalid(
            hex: "3b00000000ffffffff",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 integer -4294967296 with an eight-byte argument (preferred: 3affffffff)"
        ),
        Invalid(
            hex: "580100",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 byte string length 1 in a one-byte argument (preferred: 4100)"
        ),
        Invalid(
            hex: "5800",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 empty byte string with a one-byte length (preferred: 40)"
        ),
        Invalid(
            hex: "790000",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 empty text string with a two-byte length (preferred: 60)"
        ),
        Invalid(
            hex: "7a0000000161",
            code: "cbor.non_shortest_argument",
            comment: #"§4.2.1 text string "a" with a four-byte length (preferred: 6161)"#
        ),
        Invalid(
            hex: "980100",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 array [0] with a one-byte count (preferred: 8100)"
        ),
        Invalid(
            hex: "990000",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 empty array with a two-byte count (preferred: 80)"
        ),
        Invalid(
            hex: "9b000000000000000100",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 array [0] with an eight-byte count (preferred: 8100)"
        ),
        Invalid(
            hex: "b800",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 empty map with a one-byte count (preferred: a0)"
        ),
        Invalid(
            hex: "b900010000",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 map {0: 0} with a two-byte count (preferred: a10000)"
        ),
        Invalid(
            hex: "d8011a514b67b0",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 tag number 1 in a one-byte argument (preferred: c11a514b67b0)"
        ),
        Invalid(
            hex: "d9001740",
            code: "cbor.non_shortest_argument",
            comment: "§4.2.1 tag number 23 in a two-byte argument (preferred: d740)"
        ),
        Invalid(
            hex: "fa3f800000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 1.0 as single float (preferred: f93c00)"
        ),
        Invalid(
            hex: "fb3ff0000000000000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 1.0 as double float (preferred: f93c00)"
        ),
        Invalid(
            hex: "fb3ff8000000000000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 1.5 as double float (preferred: f93e00)"
        ),
        Invalid(
            hex: "fb412e848100000000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 1000000.5 as double float (preferred: fa49742408, the RFC's own example)"
        ),
        Invalid(
            hex: "fa80000000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 -0.0 as single float (preferred: f98000)"
        ),
        Invalid(
            hex: "fa33800000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 5.960464477539063e-8 as single float; half holds it as a subnormal (f90001)"
        ),
        Invalid(
            hex: "fa477fe000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 65504.0 as single float (preferred: f97bff)"
        ),
        Invalid(
            hex: "fa7f800000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 Infinity as single float (preferred: f97c00)"
        ),
        Invalid(
            hex: "fbfff0000000000000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 -Infinity as double float (preferred: f9fc00)"
        ),
        Invalid(
            hex: "fa7fc00000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 NaN as single float (preferred: f97e00)"
        ),
        Invalid(
            hex: "fb7ff8000000000000",
            code: "cbor.non_preferred_float",
            comment: "§4.2.1 NaN as double float (preferred: f97e00)"
        ),
        Invalid(
            hex: "fa7fc02000",
            code: "cbor.non_preferred_float",
            comment: "§4.1 NaN with payload as single float; right zero-padding of half f97e01 gives it back"
        ),
        Invalid(
            hex: "fb7ff8040000000000",
            code: "cbor.non_preferred_float",
            comment: "§4.1 NaN with payload as double float; right zero-padding of half f97e01 gives it back"
        ),
        Invalid(
            hex: "5fff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 empty indefinite-length byte string (preferred: 40)"
        ),
        Invalid(
            hex: "5f4100ff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 indefinite-length byte string with one chunk (preferred: 4100)"
        ),
        Invalid(
            hex: "7fff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 empty indefinite-length text string (preferred: 60)"
        ),
        Invalid(
            hex: "7f6161ff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 indefinite-length text string with one chunk (preferred: 6161)"
        ),
        Invalid(
            hex: "9fff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 empty indefinite-length array (preferred: 80)"
        ),
        Invalid(
            hex: "9f01ff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 indefinite-length array [_ 1] (preferred: 8101)"
        ),
        Invalid(
            hex: "bfff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 empty indefinite-length map (preferred: a0)"
        ),
        Invalid(
            hex: "bf0000ff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 indefinite-length map {_ 0: 0} (preferred: a10000)"
        ),
        Invalid(
            hex: "82019fff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 indefinite-length array nested in an array: [1, [_ ]]"
        ),
        Invalid(
            hex: "a1015fff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 indefinite-length byte string as a map value: {1: (_ )}"
        ),
        Invalid(
            hex: "a17fff00",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 indefinite-length text string as a map key: {(_ ): 0}"
        ),
        Invalid(
            hex: "d75fff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 indefinite-length byte string as tag content: 23((_ ))"
        ),
        Invalid(
            hex: "9f1801ff",
            code: "cbor.indefinite_length",
            comment: "§4.2.1 two violations: the indefinite-length array (offset 0) comes before the 0x1801"
        ),
        Invalid(
            hex: "8218019fff",
            code: "cbor.non_shortest_integer",
            comment: "§4.2.1 two violations: the 0x1801 (offset 1) comes before the indefinite-length array"
        ),
        Invalid(hex: "a202000100", code: "cbor.unsorted_keys", comment: "§4.2.1 unsorted keys: 2 before 1"),
        Invalid(
            hex: "a22000186400",
            code: "cbor.unsorted_keys",
            comment: "§4.2.1 unsorted keys: -1 (20) before 100 (1864); length-first order (§4.2.3) would accept this"
        ),
        Invalid(hex: "a2616200616100", code: "cbor.unsorted_keys", comment: #"§4.2.1 unsorted keys: "b" before "a""#),
        Invalid(
            hex: "a24100000000",
            code: "cbor.unsorted_keys",
            comment: "§4.2.1 unsorted keys: h'00' (4100) before 0 (00)"
        ),
        Invalid(
            hex: "a262616100617a00",
            code: "cbor.unsorted_keys",
            comment: #"§4.2.1 unsorted keys: "aa" (626161) before "z" (617a)"#
        ),
        Invalid(
            hex: "a281200081186400",
            code: "cbor.unsorted_keys",
            comment: "§4.2.1 unsorted keys: [-1] (8120) before [100] (811864); length-first order (§4.2.3) accepts this"
        ),
        Invalid(
            hex: "a2f4000a00",
            code: "cbor.unsorted_keys",
            comment: "§4.2.1 unsorted keys: false (f4) before 10 (0a)"
        ),
        Invalid(
            hex: "a3010003000200",
            code: "cbor.unsorted_keys",
            comment: "§4.2.1 unsorted keys: the third key 2 after 3"
        ),
        Invalid(
            hex: "a100a202000100",
            code: "cbor.unsorted_keys",
            comment: "§4.2.1 unsorted keys in a map nested as a value: {0: {2: 0, 1: 0}}"
        ),
    ]
}
