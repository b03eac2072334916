//! The typed, validated model of a cluster: devices and their power curves, pools, jobs and
//! workloads, the facility (PUE), the tariff and the grid's carbon intensity, and the scenario
//! that holds them all.

pub mod arrival;
pub mod carbon;
pub mod catalog;
pub mod costs;
pub mod device;
pub mod distribution;
pub mod facility;
pub mod pool;
pub mod power;
pub mod power_plan;
pub mod scenario;
pub mod series;
pub mod service;
pub mod site;
pub mod tariff;
pub mod terms;
pub mod trace;
pub mod work;
pub mod workload;
