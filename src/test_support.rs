//! Helpers shared by unit tests.

/// A small deterministic generator (xorshift) of numbers below `n`, so
/// that randomized tests repeat their failures.
pub fn xorshift() -> impl FnMut(usize) -> usize {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    }
}
