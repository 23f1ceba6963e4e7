/// A value made from constant input that cannot fail (a key from fixed scalar bytes, say): the failure path is a
/// programming error with a message, not a `try!` that hides which constant broke.
package func builtIn<T>(_ what: StaticString, _ make: () throws -> T) -> T {
    do {
        return try make()
    } catch {
        fatalError("built-in \(what) cannot be made: \(error)")
    }
}
