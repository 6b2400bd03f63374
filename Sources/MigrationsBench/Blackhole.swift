/// Consumes a value in a way the optimizer cannot see through, so a measured loop is not removed.
///
/// Both sides of a comparison call it once per iteration, so its own cost cancels out.
@inline(never)
@_optimize(none)
func blackhole<Value>(_ value: Value) {
    withExtendedLifetime(value) {}
}
