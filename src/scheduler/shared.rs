//! Devices shared by jobs that each need a fraction of one (GPU sharing): a slab of open
//! shared devices with their free share in thousandths, first fit.

/// One device shared by fractional jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedDevice {
    /// Node index within the pool.
    pub node: u32,
    /// Free share [thousandths of the device].
    pub free_milli: u32,
    /// Jobs on it [count].
    pub tasks: u32,
}

/// The open shared devices of one pool.
#[derive(Debug, Clone, Default)]
pub struct SharedDevices {
    devices: Vec<Option<SharedDevice>>,
    vacant: Vec<u32>,
}

impl SharedDevices {
    /// The first open device with at least `milli` free.
    pub fn find(&self, milli: u32) -> Option<u32> {
        self.devices
            .iter()
            .position(|d| d.is_some_and(|d| d.free_milli >= milli))
            .map(|i| i as u32)
    }

    /// The node of open shared device `i`.
    pub fn node_of(&self, i: u32) -> Option<u32> {
        self.devices
            .get(i as usize)
            .copied()
            .flatten()
            .map(|d| d.node)
    }

    /// Opens a shared device on `node` (whole and free) and returns its index.
    pub fn open(&mut self, node: u32) -> u32 {
        let dev = Some(SharedDevice {
            node,
            free_milli: 1000,
            tasks: 0,
        });
        crate::engine::slab::put(&mut self.devices, &mut self.vacant, dev)
    }

    /// A job takes `milli` of device `i`; returns the free share before and after.
    pub fn take(&mut self, i: u32, milli: u32) -> (u32, u32) {
        let Some(d) = self.devices[i as usize].as_mut() else {
            return (0, 0);
        };
        let before = d.free_milli;
        d.free_milli -= milli.min(before);
        d.tasks += 1;
        (before, d.free_milli)
    }

    /// A job gives back `milli` of device `i`; returns the free share before and after, and
    /// the device's node if it is now empty (and closed).
    pub fn give(&mut self, i: u32, milli: u32) -> (u32, u32, Option<u32>) {
        let Some(d) = self.devices[i as usize].as_mut() else {
            return (0, 0, None);
        };
        let before = d.free_milli;
        d.free_milli = (before + milli).min(1000);
        d.tasks = d.tasks.saturating_sub(1);
        let after = d.free_milli;
        if d.tasks == 0 {
            let node = d.node;
            self.devices[i as usize] = None;
            self.vacant.push(i);
            return (before, after, Some(node));
        }
        (before, after, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_share_a_device_first_fit() {
        let mut s = SharedDevices::default();
        assert_eq!(s.find(500), None);
        let d = s.open(3);
        assert_eq!(s.take(d, 500), (1000, 500));
        assert_eq!(s.find(300), Some(d));
        assert_eq!(s.take(d, 300), (500, 200));
        assert_eq!(s.find(400), None);
        assert_eq!(s.give(d, 500), (200, 700, None));
        assert_eq!(s.give(d, 300), (700, 1000, Some(3)));
        assert_eq!(s.find(1), None);
        assert_eq!(s.open(5), d, "the slab slot is reused");
    }
}
