import B2CFuzzEntries

/// libFuzzer calls this once per input (the binary's `main` is libFuzzer's, so this file has no top-level code).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    fuzzSMPMessage(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}
