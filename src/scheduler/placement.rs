//! First-fit placement over a pool's nodes: a max segment tree of free devices per node finds
//! the lowest-numbered node with room in O(log nodes).

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

/// Free devices per node of one pool.
#[derive(Debug, Clone)]
pub struct NodeSlots {
    devices_per_node: u32,
    nodes: u32,
    /// Leaves start at `leaf0`; internal node `i` holds the max of `2i` and `2i + 1`.
    tree: Vec<u32>,
    leaf0: usize,
    free_devices: u64,
}

impl NodeSlots {
    /// All nodes free.
    pub fn new(nodes: u32, devices_per_node: u32) -> Self {
        let leaf0 = (nodes.max(1) as usize).next_power_of_two();
        let mut tree = vec![0; 2 * leaf0];
        for leaf in &mut tree[leaf0..leaf0 + nodes as usize] {
            *leaf = devices_per_node;
        }
        for i in (1..leaf0).rev() {
            tree[i] = tree[2 * i].max(tree[2 * i + 1]);
        }
        Self {
            devices_per_node,
            nodes,
            tree,
            leaf0,
            free_devices: nodes as u64 * devices_per_node as u64,
        }
    }

    /// Free devices in the pool [count].
    #[inline]
    pub fn free_devices(&self) -> u64 {
        self.free_devices
    }

    /// Free devices on `node`.
    pub fn free_on(&self, node: u32) -> u32 {
        self.tree[self.leaf0 + node as usize]
    }

    /// Sets the free devices of `node` (a node powered off or booting offers none).
    pub fn set_free(&mut self, node: u32, free: u32) {
        self.set(node, free);
    }

    /// Devices per node [count].
    pub fn devices_per_node(&self) -> u32 {
        self.devices_per_node
    }

    fn set(&mut self, node: u32, free: u32) {
        let mut i = self.leaf0 + node as usize;
        let old = self.tree[i];
        self.free_devices = self.free_devices + free as u64 - old as u64;
        self.tree[i] = free;
        while i > 1 {
            i /= 2;
            let m = self.tree[2 * i].max(self.tree[2 * i + 1]);
            if self.tree[i] == m {
                break;
            }
            self.tree[i] = m;
        }
    }

    /// The lowest-numbered node with at least `k` free devices.
    fn first_with(&self, k: u32) -> Option<u32> {
        if self.tree[1] < k {
            return None;
        }
        let mut i = 1;
        while i < self.leaf0 {
            i = if self.tree[2 * i] >= k {
                2 * i
            } else {
                2 * i + 1
            };
        }
        Some((i - self.leaf0) as u32)
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

    #[test]
    fn too_large_never_fits() {
        let mut s = NodeSlots::new(2, 8);
        assert_eq!(s.place(17), None);
        assert_eq!(s.place(0), None);
    }
}
