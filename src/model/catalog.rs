//! The built-in accelerator catalog: idle and maximum (TDP / board power) draw, peak dense
//! BF16/FP16 throughput and memory of common datacenter accelerators, each with its source.
//!
//! Maximum power and peak throughput are the vendors' published figures (dense, i.e. without
//! structured sparsity). Vendors do not publish idle draw; the idle figures are typical
//! measured values (nvidia-smi / DCGM / rocm-smi readings at zero utilisation) and are
//! approximate — override them per scenario (`[devices.ID] idle_w = …`) when you have your own
//! measurements. The TPU figures are Google's measured minimum and maximum chip power.

/// One catalog row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CatalogEntry {
    /// Vendor model name used as the device id, e.g. `H100-SXM5-80GB`.
    pub id: &'static str,
    /// Vendor name.
    pub vendor: &'static str,
    /// Idle draw [W].
    pub idle_w: f64,
    /// Maximum draw (TDP / board power) [W].
    pub max_w: f64,
    /// Peak dense BF16/FP16 tensor throughput [TFLOPS].
    pub peak_tflops: f64,
    /// Accelerator memory [GB].
    pub memory_gb: f64,
    /// Where the figures come from.
    pub source: &'static str,
}

/// The catalog, in a stable order (oldest generation first).
pub const CATALOG: &[CatalogEntry] = &[
    CatalogEntry {
        id: "V100-SXM2-32GB",
        vendor: "NVIDIA",
        idle_w: 40.0,
        max_w: 300.0,
        peak_tflops: 125.0,
        memory_gb: 32.0,
        source: "NVIDIA Tesla V100 datasheet (2020): 300 W SXM2, 125 TFLOPS tensor FP16; idle: typical nvidia-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "V100-PCIe-32GB",
        vendor: "NVIDIA",
        idle_w: 35.0,
        max_w: 250.0,
        peak_tflops: 112.0,
        memory_gb: 32.0,
        source: "NVIDIA Tesla V100 datasheet (2020): 250 W PCIe, 112 TFLOPS tensor FP16; idle: typical nvidia-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "A100-SXM4-40GB",
        vendor: "NVIDIA",
        idle_w: 55.0,
        max_w: 400.0,
        peak_tflops: 312.0,
        memory_gb: 40.0,
        source: "NVIDIA A100 datasheet (2021): 400 W SXM4, 312 TFLOPS dense BF16; idle: DCGM minimum of A100 GPUs in the Acme traces (Hu et al., NSDI 2024), ~55-63 W",
    },
    CatalogEntry {
        id: "A100-SXM4-80GB",
        vendor: "NVIDIA",
        idle_w: 60.0,
        max_w: 400.0,
        peak_tflops: 312.0,
        memory_gb: 80.0,
        source: "NVIDIA A100 datasheet (2021): 400 W SXM4, 312 TFLOPS dense BF16; idle: DCGM p10 of A100 GPUs in the Acme traces (Hu et al., NSDI 2024), ~60 W",
    },
    CatalogEntry {
        id: "A100-PCIe-40GB",
        vendor: "NVIDIA",
        idle_w: 35.0,
        max_w: 250.0,
        peak_tflops: 312.0,
        memory_gb: 40.0,
        source: "NVIDIA A100 datasheet (2021): 250 W PCIe 40GB, 312 TFLOPS dense BF16; idle: typical nvidia-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "A100-PCIe-80GB",
        vendor: "NVIDIA",
        idle_w: 45.0,
        max_w: 300.0,
        peak_tflops: 312.0,
        memory_gb: 80.0,
        source: "NVIDIA A100 datasheet (2021): 300 W PCIe 80GB, 312 TFLOPS dense BF16; idle: typical nvidia-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "H100-SXM5-80GB",
        vendor: "NVIDIA",
        idle_w: 75.0,
        max_w: 700.0,
        peak_tflops: 989.0,
        memory_gb: 80.0,
        source: "NVIDIA H100 datasheet (2023): 700 W SXM5, 989 TFLOPS dense BF16 (1979 with sparsity); idle: typical nvidia-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "H100-PCIe-80GB",
        vendor: "NVIDIA",
        idle_w: 50.0,
        max_w: 350.0,
        peak_tflops: 756.0,
        memory_gb: 80.0,
        source: "NVIDIA H100 datasheet (2023): 350 W PCIe, 756 TFLOPS dense BF16 (1513 with sparsity); idle: typical nvidia-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "H200-SXM-141GB",
        vendor: "NVIDIA",
        idle_w: 75.0,
        max_w: 700.0,
        peak_tflops: 989.0,
        memory_gb: 141.0,
        source: "NVIDIA H200 datasheet (2024): up to 700 W SXM, 989 TFLOPS dense BF16, 141 GB HBM3e; idle: as H100 SXM5 (approximate)",
    },
    CatalogEntry {
        id: "B200-SXM-180GB",
        vendor: "NVIDIA",
        idle_w: 140.0,
        max_w: 1000.0,
        peak_tflops: 2250.0,
        memory_gb: 180.0,
        source: "NVIDIA HGX B200 specifications (2024): 1000 W per GPU, 2.25 PFLOPS dense BF16, 180 GB; idle: estimate scaled from H100 (approximate)",
    },
    CatalogEntry {
        id: "MI250X",
        vendor: "AMD",
        idle_w: 90.0,
        max_w: 560.0,
        peak_tflops: 383.0,
        memory_gb: 128.0,
        source: "AMD Instinct MI250X datasheet (2021): 560 W, 383 TFLOPS peak BF16/FP16; idle: typical rocm-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "MI300X",
        vendor: "AMD",
        idle_w: 140.0,
        max_w: 750.0,
        peak_tflops: 1307.4,
        memory_gb: 192.0,
        source: "AMD Instinct MI300X datasheet (2023): 750 W, 1307.4 TFLOPS dense BF16/FP16, 192 GB HBM3; idle: typical rocm-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "L4",
        vendor: "NVIDIA",
        idle_w: 16.0,
        max_w: 72.0,
        peak_tflops: 121.0,
        memory_gb: 24.0,
        source: "NVIDIA L4 datasheet (2023): 72 W, 121 TFLOPS dense FP16 (242 with sparsity); idle: typical nvidia-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "T4",
        vendor: "NVIDIA",
        idle_w: 10.0,
        max_w: 70.0,
        peak_tflops: 65.0,
        memory_gb: 16.0,
        source: "NVIDIA T4 datasheet (2019): 70 W, 65 TFLOPS mixed-precision FP16; idle: typical nvidia-smi reading at zero utilisation (approximate)",
    },
    CatalogEntry {
        id: "TPU-v3",
        vendor: "Google",
        idle_w: 123.0,
        max_w: 262.0,
        peak_tflops: 123.0,
        memory_gb: 32.0,
        source: "Jouppi et al., 'TPU v4: An Optically Reconfigurable Supercomputer', ISCA 2023, Table 3: min/max chip power 123/262 W, 123 TFLOPS BF16, 32 GiB HBM",
    },
    CatalogEntry {
        id: "TPU-v4",
        vendor: "Google",
        idle_w: 90.0,
        max_w: 192.0,
        peak_tflops: 275.0,
        memory_gb: 32.0,
        source: "Jouppi et al., 'TPU v4: An Optically Reconfigurable Supercomputer', ISCA 2023, Table 3: min/max chip power 90/192 W, 275 TFLOPS BF16, 32 GiB HBM",
    },
];

/// Typical host (non-accelerator) draw of a server: CPUs, memory, NICs, fans, storage and PSU
/// losses, per node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HostEntry {
    /// Preset id, e.g. `DGX-H100`.
    pub id: &'static str,
    /// Accelerators per node the preset describes [count].
    pub devices_per_node: u32,
    /// Host draw with idle accelerators [W].
    pub idle_w: f64,
    /// Host draw at full load [W].
    pub max_w: f64,
    /// Where the figures come from.
    pub source: &'static str,
}

/// Host presets for `[[pools]] host = "…"`.
pub const HOSTS: &[HostEntry] = &[
    HostEntry {
        id: "DGX-A100",
        devices_per_node: 8,
        idle_w: 1000.0,
        max_w: 3300.0,
        source: "max: NVIDIA DGX A100 system power 6.5 kW max minus 8 × 400 W GPUs; idle: Acme Seren 8×A100 servers (Hu et al., NSDI 2024), IPMI server power p10 1,512 W minus 8 GPUs at ~63 W",
    },
    HostEntry {
        id: "DGX-H100",
        devices_per_node: 8,
        idle_w: 1000.0,
        max_w: 4600.0,
        source: "max: NVIDIA DGX H100 system power 10.2 kW max minus 8 × 700 W GPUs; idle: as DGX-A100 (approximate)",
    },
    HostEntry {
        id: "HGX-8GPU-2S",
        devices_per_node: 8,
        idle_w: 800.0,
        max_w: 2500.0,
        source: "a generic dual-socket 8-GPU server (two ~350 W CPUs, memory, NICs, fans, ~94 % PSU); engineering estimate, override with measurements",
    },
];

/// Looks up a host preset by id.
pub fn host(id: &str) -> Option<&'static HostEntry> {
    HOSTS.iter().find(|h| h.id == id)
}

/// Looks up a catalog entry by its exact id.
pub fn lookup(id: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|entry| entry.id == id)
}

/// The catalog ids, for error hints.
pub fn ids<'a>() -> impl Iterator<Item = &'a str> {
    CATALOG.iter().map(|entry| entry.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_rows_are_sane_and_unique() {
        assert!(CATALOG.len() >= 12);
        for (i, e) in CATALOG.iter().enumerate() {
            assert!(e.idle_w > 0.0 && e.idle_w < e.max_w, "{}", e.id);
            assert!(e.peak_tflops > 0.0 && e.memory_gb > 0.0, "{}", e.id);
            assert!(!e.source.is_empty());
            assert!(
                CATALOG[i + 1..].iter().all(|o| o.id != e.id),
                "duplicate {}",
                e.id
            );
        }
        assert_eq!(lookup("A100-SXM4-80GB").map(|e| e.max_w), Some(400.0));
        assert!(lookup("a100").is_none());
    }
}
