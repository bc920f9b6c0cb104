//! Python's `random` module, for the parts the asyncio documents use: `seed(int)`, `randint`,
//! `randrange` and `getrandbits`, bit-exact with CPython (3.2 and later), so a port that calls
//! `pyrandom::seed(444)` prints the same "random" values as the Python original.
//!
//! Like Python, there are free functions on one shared generator ([`seed`], [`randint`], ...)
//! and a [`Random`] type for a generator of your own (`random.Random(444)`).
//! The Mersenne Twister itself is `rand_mt`; this crate adds only Python's seeding and its
//! way of turning 32-bit draws into integers. Not for cryptography (neither is Python's).

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

use rand_mt::Mt;

/// A generator of its own, like Python's `random.Random`.
#[derive(Clone, Debug)]
pub struct Random {
    mt: Mt,
}

impl Random {
    /// `random.Random(seed)`.
    pub fn new(seed: i128) -> Self {
        Self {
            mt: Mt::new_with_key(seed_key(seed)),
        }
    }

    /// `Random.seed(seed)` for an int seed: the generator restarts from it.
    pub fn seed(&mut self, seed: i128) {
        self.mt.reseed_with_key(seed_key(seed));
    }

    /// `getrandbits(k)`: an integer of `k` random bits, `k` at most 64.
    ///
    /// # Panics
    /// If `k > 64`.
    pub fn getrandbits(&mut self, k: u32) -> u64 {
        assert!(k <= 64, "getrandbits supports at most 64 bits, got {k}");
        if k <= 32 {
            // The top k bits of one draw; k == 0 draws nothing.
            return if k == 0 {
                0
            } else {
                u64::from(self.mt.next_u32() >> (32 - k))
            };
        }
        // Two draws, the least significant word first; the second keeps its top k-32 bits.
        let low = u64::from(self.mt.next_u32());
        let high = u64::from(self.mt.next_u32() >> (64 - k));
        high << 32 | low
    }

    /// `randrange(start, stop)`: a random integer in `start..stop`.
    ///
    /// # Panics
    /// If the range is empty, as Python raises `ValueError`.
    pub fn randrange(&mut self, start: i64, stop: i64) -> i64 {
        self.in_range(i128::from(start), i128::from(stop))
    }

    /// `randint(a, b)`: a random integer in `a..=b`, both ends included.
    ///
    /// # Panics
    /// If `b < a`, as Python raises `ValueError`.
    pub fn randint(&mut self, a: i64, b: i64) -> i64 {
        self.in_range(i128::from(a), i128::from(b) + 1)
    }

    fn in_range(&mut self, start: i128, stop: i128) -> i64 {
        let width = u64::try_from(stop - start)
            .ok()
            .filter(|&width| width > 0)
            .unwrap_or_else(|| panic!("empty range for randrange({start}, {stop})"));
        let value = start + i128::from(self.below(width));
        i64::try_from(value).unwrap_or_else(|_| unreachable!("{value} lies in {start}..{stop}"))
    }

    /// Python's `_randbelow`: draw `bit_length(n)` bits until the value is below `n`.
    fn below(&mut self, n: u64) -> u64 {
        let k = u64::BITS - n.leading_zeros();
        loop {
            let candidate = self.getrandbits(k);
            if candidate < n {
                return candidate;
            }
        }
    }
}

/// The key Python feeds `init_by_array` for an int seed: the 32-bit words of `|seed|`,
/// least significant first (`[0]` for zero).
fn seed_key(seed: i128) -> Vec<u32> {
    let mut magnitude = seed.unsigned_abs();
    let mut key = Vec::new();
    loop {
        key.push(magnitude as u32); // keeps the low 32 bits, on purpose
        magnitude >>= 32;
        if magnitude == 0 {
            return key;
        }
    }
}

/// The module's shared generator. Unseeded, it starts from OS randomness, like Python's
/// (std's `RandomState` draws its keys from the OS).
static GLOBAL: LazyLock<Mutex<Random>> = LazyLock::new(|| {
    let entropy = RandomState::new().hash_one("pyrandom");
    Mutex::new(Random::new(i128::from(entropy)))
});

fn global() -> MutexGuard<'static, Random> {
    // The generator has no invariant a panic elsewhere could break.
    GLOBAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `random.seed(seed)` for an int seed.
pub fn seed(seed: i128) {
    global().seed(seed);
}

/// `random.randint(a, b)`: see [`Random::randint`].
pub fn randint(a: i64, b: i64) -> i64 {
    global().randint(a, b)
}

/// `random.randrange(start, stop)`: see [`Random::randrange`].
pub fn randrange(start: i64, stop: i64) -> i64 {
    global().randrange(start, stop)
}

/// `random.getrandbits(k)`: see [`Random::getrandbits`].
pub fn getrandbits(k: u32) -> u64 {
    global().getrandbits(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_key_is_the_magnitude_in_32_bit_words_low_first() {
        assert_eq!(seed_key(0), [0]);
        assert_eq!(seed_key(444), [444]);
        assert_eq!(seed_key(-444), [444]);
        assert_eq!(seed_key((1 << 32) + 444), [444, 1]);
        assert_eq!(seed_key(i128::MIN), [0, 0, 0, 1 << 31]);
    }

    #[test]
    #[should_panic(expected = "empty range")]
    fn randint_with_b_below_a_panics_like_pythons_value_error() {
        Random::new(1).randint(5, 4);
    }

    #[test]
    fn randint_covers_the_extremes_of_i64() {
        let mut random = Random::new(444);
        let value = random.randint(i64::MIN, i64::MAX - 1);
        assert!(value < i64::MAX);
        assert_eq!(random.randint(i64::MAX, i64::MAX), i64::MAX);
    }
}
