//! Seeded random streams: one base seed per run, independent sub-streams derived from it.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The random generator used throughout wattsim (fast, portable, stable output for a seed).
pub type SimRng = Xoshiro256PlusPlus;

/// SplitMix64 finaliser: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Derives a seed from a base seed and a path of indices (scenario index, replication,
/// workload index …); different paths give unrelated seeds.
pub fn derive_seed(base: u64, path: &[u64]) -> u64 {
    path.iter().fold(mix(base), |acc, &i| mix(acc ^ mix(i)))
}

/// The seed of replication `r` (from 0) of a scenario seeded with `base`: replication 0 is
/// the scenario's own seed (so it matches `wattsim run`); others are derived from it. Points
/// with the same base seed see the same random arrivals (common random numbers).
pub fn replication_seed(base: u64, r: u64) -> u64 {
    if r == 0 {
        base
    } else {
        derive_seed(base, &[r])
    }
}

/// A generator for the sub-stream `path` of the run seeded with `base`.
pub fn stream(base: u64, path: &[u64]) -> SimRng {
    SimRng::seed_from_u64(derive_seed(base, path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn same_path_same_numbers_different_path_different_numbers() {
        let a: u64 = stream(7, &[0, 1]).random();
        let b: u64 = stream(7, &[0, 1]).random();
        let c: u64 = stream(7, &[1, 0]).random();
        let d: u64 = stream(8, &[0, 1]).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }
}
