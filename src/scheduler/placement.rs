//! First-fit placement over a pool's nodes: bit sets of the nodes with at least k free
//! devices find the lowest-numbered node with room in a few word operations.

/// Where a job runs: one node (shared with other jobs) or several whole nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// `devices` devices on one node.
    Shared {
        /// Node index within the pool.
        node: u32,
        /// Devices taken [count].
        devices: u32,
    },
    /// Whole nodes (for jobs larger than one node).
    Whole {
        /// Node indices within the pool, ascending.
        nodes: Vec<u32>,
    },
    /// A share of one device shared with other jobs (see `shared`).
    Fraction {
        /// Index of the shared device.
        device: u32,
        /// Share [thousandths of the device].
        milli: u32,
    },
}

impl Placement {
    /// No devices (what a vacated entry holds; releasing it frees nothing).
    pub const NONE: Placement = Placement::Shared {
        node: 0,
        devices: 0,
    };
}

/// Free devices per node of one pool, with a bit set per free-device threshold: bit `n` of
/// threshold `k` is set when node `n` has at least `k` free devices, and a summary bit per
/// word of 64 nodes says whether any is set. First fit for `k` devices is then the first set
/// bit of threshold `k` (two trailing-zero counts for up to 4,096 nodes), and a job that takes
/// or frees `d` devices flips `d` bits.
#[derive(Debug, Clone)]
pub struct NodeSlots {
    devices_per_node: u32,
    nodes: u32,
    /// Free devices of each node.
    free: Vec<u32>,
    /// Words of 64 nodes per threshold, and summary words (64 words each) per threshold.
    words: usize,
    summary_words: usize,
    /// Threshold `k` (from 1) at `[(k - 1) · words ..][.. words]`.
    bits: Vec<u64>,
    /// Threshold `k` at `[(k - 1) · summary_words ..][.. summary_words]`.
    summary: Vec<u64>,
    free_devices: u64,
}

impl NodeSlots {
    /// All nodes free.
    pub fn new(nodes: u32, devices_per_node: u32) -> Self {
        let words = (nodes as usize).div_ceil(64);
        let summary_words = words.div_ceil(64);
        let thresholds = devices_per_node as usize;
        let mut slots = Self {
            devices_per_node,
            nodes,
            free: vec![0; nodes as usize],
            words,
            summary_words,
            bits: vec![0; thresholds * words],
            summary: vec![0; thresholds * summary_words],
            free_devices: 0,
        };
        for node in 0..nodes {
            slots.set(node, devices_per_node);
        }
        slots
    }

    /// Free devices in the pool [count].
    #[inline]
    pub fn free_devices(&self) -> u64 {
        self.free_devices
    }

    /// Free devices on `node`.
    pub fn free_on(&self, node: u32) -> u32 {
        self.free[node as usize]
    }

    /// Sets the free devices of `node` (a node powered off or booting offers none).
    pub fn set_free(&mut self, node: u32, free: u32) {
        self.set(node, free);
    }

    /// Devices per node [count].
    pub fn devices_per_node(&self) -> u32 {
        self.devices_per_node
    }

    #[inline]
    fn set(&mut self, node: u32, free: u32) {
        let n = node as usize;
        let old = self.free[n];
        self.free_devices = self.free_devices + free as u64 - old as u64;
        self.free[n] = free;
        let (word, bit) = (n / 64, 1u64 << (n % 64));
        let (sword, sbit) = (word / 64, 1u64 << (word % 64));
        // Thresholds old+1..=free gain the node; free+1..=old lose it.
        for k in old.min(free)..old.max(free) {
            let w = k as usize * self.words + word;
            let sw = k as usize * self.summary_words + sword;
            if free > old {
                self.bits[w] |= bit;
                self.summary[sw] |= sbit;
            } else {
                self.bits[w] &= !bit;
                if self.bits[w] == 0 {
                    self.summary[sw] &= !sbit;
                }
            }
        }
    }

    /// The lowest-numbered node with at least `k` (≥ 1) free devices.
    #[inline]
    fn first_with(&self, k: u32) -> Option<u32> {
        debug_assert!(
            (1..=self.devices_per_node).contains(&k),
            "{k} devices on one node"
        );
        let t = (k - 1) as usize;
        let summary = &self.summary[t * self.summary_words..][..self.summary_words];
        let (sw, &s) = summary.iter().enumerate().find(|(_, s)| **s != 0)?;
        let word = sw * 64 + s.trailing_zeros() as usize;
        let bits = self.bits[t * self.words + word];
        Some((word * 64 + bits.trailing_zeros() as usize) as u32)
    }

    /// Places `devices` devices first-fit, or returns `None` when they do not fit now.
    /// A job larger than a node takes `ceil(devices / devices_per_node)` whole free nodes.
    pub fn place(&mut self, devices: u32) -> Option<Placement> {
        if devices == 0 || devices as u64 > self.free_devices {
            return None;
        }
        if devices <= self.devices_per_node {
            let node = self.first_with(devices)?;
            let free = self.free_on(node);
            self.set(node, free - devices);
            return Some(Placement::Shared { node, devices });
        }
        let needed = devices.div_ceil(self.devices_per_node);
        if needed > self.nodes || (needed as u64 * self.devices_per_node as u64) > self.free_devices
        {
            return None;
        }
        let mut nodes = Vec::with_capacity(needed as usize);
        while (nodes.len() as u32) < needed {
            match self.first_with(self.devices_per_node) {
                Some(node) => {
                    self.set(node, 0);
                    nodes.push(node);
                }
                None => {
                    for &node in &nodes {
                        self.set(node, self.devices_per_node);
                    }
                    return None;
                }
            }
        }
        Some(Placement::Whole { nodes })
    }

    /// Returns a placement's devices.
    pub fn release(&mut self, placement: &Placement) {
        match placement {
            Placement::Shared { node, devices } => {
                let free = self.free_on(*node);
                self.set(*node, free + devices);
            }
            Placement::Whole { nodes } => {
                for &node in nodes {
                    self.set(node, self.devices_per_node);
                }
            }
            Placement::Fraction { .. } => {}
        }
    }

    /// The nodes a placement uses (none for a share of a device: see `SharedDevices`).
    pub fn nodes(placement: &Placement) -> &[u32] {
        match placement {
            Placement::Shared { node, .. } => std::slice::from_ref(node),
            Placement::Whole { nodes } => nodes,
            Placement::Fraction { .. } => &[],
        }
    }

    /// Devices a placement holds (whole nodes hold all their devices) [count].
    pub fn held(&self, placement: &Placement) -> u32 {
        match placement {
            Placement::Shared { devices, .. } => *devices,
            Placement::Whole { nodes } => nodes.len() as u32 * self.devices_per_node,
            Placement::Fraction { .. } => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_fit_picks_lowest_node_with_room() {
        let mut s = NodeSlots::new(3, 4);
        assert_eq!(
            s.place(3),
            Some(Placement::Shared {
                node: 0,
                devices: 3
            })
        );
        // Node 0 has 1 free: a 2-device job goes to node 1, a 1-device job back to node 0.
        assert_eq!(
            s.place(2),
            Some(Placement::Shared {
                node: 1,
                devices: 2
            })
        );
        assert_eq!(
            s.place(1),
            Some(Placement::Shared {
                node: 0,
                devices: 1
            })
        );
        assert_eq!(s.free_devices(), 12 - 6);
    }

    #[test]
    fn multi_node_jobs_take_whole_free_nodes_or_nothing() {
        let mut s = NodeSlots::new(3, 4);
        let small = s.place(1).unwrap(); // node 0 partly used
        // 6 devices → 2 whole nodes: nodes 1 and 2.
        let big = s.place(6).unwrap();
        assert_eq!(big, Placement::Whole { nodes: vec![1, 2] });
        assert_eq!(s.held(&big), 8);
        assert_eq!(s.free_devices(), 3);
        s.release(&big);
        s.release(&small);
        assert_eq!(s.free_devices(), 12);
        // With node 1 partly used, two whole nodes are not free even though 11 devices are.
        let _ = s.place(4); // fills node 0
        let _ = s.place(1); // node 1
        assert_eq!(s.free_devices(), 7);
        assert_eq!(s.place(5), None);
        assert_eq!(
            s.free_devices(),
            7,
            "a failed whole-node placement must undo itself"
        );
    }

    /// First fit by a plain scan of each node's free devices, the reference.
    fn naive_place(free: &mut [u32], dpn: u32, devices: u32) -> Option<Placement> {
        if devices <= dpn {
            let node = free.iter().position(|&f| f >= devices)?;
            free[node] -= devices;
            return Some(Placement::Shared {
                node: node as u32,
                devices,
            });
        }
        let needed = devices.div_ceil(dpn) as usize;
        let nodes: Vec<u32> = (0..free.len() as u32)
            .filter(|&n| free[n as usize] == dpn)
            .take(needed)
            .collect();
        if nodes.len() < needed {
            return None;
        }
        for &n in &nodes {
            free[n as usize] = 0;
        }
        Some(Placement::Whole { nodes })
    }

    #[test]
    fn places_as_a_plain_first_fit_scan_over_many_words_of_nodes() {
        use rand::{Rng, SeedableRng};
        // 5,000 nodes: 79 words of nodes, 2 summary words, so every level of the bit sets
        // is crossed; jobs of 1..=20 devices (whole nodes beyond 8), random ends.
        let (count, dpn) = (5_000u32, 8u32);
        let mut slots = NodeSlots::new(count, dpn);
        let mut free = vec![dpn; count as usize];
        let mut placed: Vec<Placement> = vec![];
        let mut rng = crate::engine::rng::SimRng::seed_from_u64(11);
        let mut refused = 0;
        for step in 0..100_000 {
            if !placed.is_empty() && rng.random_bool(0.45) {
                let p = placed.swap_remove(rng.random_range(0..placed.len()));
                slots.release(&p);
                match &p {
                    Placement::Shared { node, devices } => free[*node as usize] += devices,
                    Placement::Whole { nodes } => {
                        nodes.iter().for_each(|&n| free[n as usize] = dpn)
                    }
                    Placement::Fraction { .. } => unreachable!(),
                }
            } else {
                let devices = rng.random_range(1..=20);
                let want = naive_place(&mut free, dpn, devices);
                assert_eq!(slots.place(devices), want, "step {step}");
                refused += usize::from(want.is_none());
                placed.extend(want);
            }
            assert_eq!(
                slots.free_devices(),
                free.iter().map(|&f| f as u64).sum::<u64>()
            );
        }
        // The pool filled up: refusals (and the undo of a part-placed whole-node job) were
        // compared too.
        assert!(refused > 1000, "{refused} refusals");
    }

    #[test]
    fn too_large_never_fits() {
        let mut s = NodeSlots::new(2, 8);
        assert_eq!(s.place(17), None);
        assert_eq!(s.place(0), None);
    }
}
