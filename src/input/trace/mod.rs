//! Readers of job traces: CSV by named columns (Alibaba, Helios and other presets build on
//! it), the Standard Workload Format, the Philly JSON log; the filter every reader applies;
//! and the external sort that puts an unordered trace into submit-time order in bounded
//! memory. Each yields [`TraceItem`](crate::model::trace::TraceItem)s.

pub mod csv;
pub mod filter;
pub mod philly;
pub mod sort;
pub mod swf;

pub use filter::Filter;
