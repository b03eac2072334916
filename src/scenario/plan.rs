//! Capacity-plan definitions: the `[plan]` table of a scenario — the integer key to size
//! (`vary` between `min` and `max`), the service targets a size must meet, replications
//! with common random numbers, how a target is judged (`decide`), and alternatives (other
//! hardware) each sized in turn — checked against the file they come from.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::suggest::nearest;
use super::template::{Setting, Template};
use serde::Deserialize;
use std::path::Path;
use toml::Value;

/// Most replications per probed value.
pub const MAX_REPLICATIONS: u64 = 10_000;

/// How a target is judged from a value's replications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decide {
    /// The mean over replications meets the target.
    Mean,
    /// The pessimistic end of the 95 % confidence interval of the mean meets it (the upper
    /// end for `at_most`, the lower for `at_least`).
    UpperCi,
}

impl Decide {
    /// The name as written in `[plan] decide`.
    pub fn name(self) -> &'static str {
        match self {
            Decide::Mean => "mean",
            Decide::UpperCi => "upper_ci",
        }
    }
}

/// Which side of its bound a target metric must stay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// The metric must be at most this.
    AtMost(f64),
    /// The metric must be at least this.
    AtLeast(f64),
}

impl Bound {
    /// The bound's value.
    pub fn value(self) -> f64 {
        match self {
            Bound::AtMost(v) | Bound::AtLeast(v) => v,
        }
    }

    /// Whether `x` meets the bound.
    pub fn met_by(self, x: f64) -> bool {
        match self {
            Bound::AtMost(v) => x <= v,
            Bound::AtLeast(v) => x >= v,
        }
    }

    /// `at_most` or `at_least`.
    pub fn name(self) -> &'static str {
        match self {
            Bound::AtMost(_) => "at_most",
            Bound::AtLeast(_) => "at_least",
        }
    }
}

/// One service target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// A numeric `summary.json` metric.
    pub metric: String,
    /// Its bound.
    pub bound: Bound,
}

/// One alternative to size: settings applied on top of the file (e.g. another device).
#[derive(Debug, Clone)]
pub struct Alternative {
    /// A label: the settings as `key = value` joined by `, ` (`base` for none).
    pub label: String,
    /// The settings.
    pub settings: Vec<Setting>,
}

/// A validated `[plan]`, with the file it sizes.
#[derive(Debug, Clone)]
pub struct PlanSpec {
    /// The scenario file, without its `[plan]` table.
    pub template: Template,
    /// The integer key path that is sized (`pools.0.nodes`).
    pub vary: String,
    /// Where `plan.vary` is written (errors at a probed value point there).
    pub vary_at: Option<super::error::Location>,
    /// Smallest value tried.
    pub min: i64,
    /// Largest value tried.
    pub max: i64,
    /// Runs per probed value, seeded alike at every value (common random numbers).
    pub replications: u64,
    /// How targets are judged.
    pub decide: Decide,
    /// Every target must be met.
    pub targets: Vec<Target>,
    /// The alternatives (one, `base`, when the plan lists none).
    pub alternatives: Vec<Alternative>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    vary: String,
    min: i64,
    max: i64,
    replications: Option<i64>,
    decide: Option<String>,
    #[serde(default)]
    targets: Vec<RawTarget>,
    #[serde(default)]
    alternatives: Vec<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    metric: String,
    at_most: Option<f64>,
    at_least: Option<f64>,
}

/// Reads a scenario file with a `[plan]` table and checks the plan: keys that exist and hold
/// integers, a range, known metrics, one bound per target. The scenario at `min` and `max`
/// of every alternative is validated too, so a bad alternative fails before any run.
pub fn read(path: &Path) -> Result<PlanSpec, ScenarioError> {
    from_template(Template::read(path)?)
}

/// [`read`] on a parsed file.
pub fn from_template(mut template: Template) -> Result<PlanSpec, ScenarioError> {
    let path = &template.path.clone();
    let hint = "write [plan] with vary, min, max and [[plan.targets]]";
    let Some(table) = template.take("plan", hint)? else {
        return Err(super::error::data_error(
            path,
            None,
            "plan",
            "(missing)",
            "`wattsim plan` needs a [plan] table",
            "add [plan] with vary = \"pools.0.nodes\", min, max and a [[plan.targets]] entry (see scenarios/workloads/plan.toml)",
        ));
    };
    let ctx = Ctx::file(path, &template.source);
    let at = KeyPath::default().key("plan");
    if template.table.contains_key("sweep") {
        return Err(ctx.err(
            &KeyPath::default().key("sweep"),
            "[sweep]",
            "a file is either a sweep or a plan",
            "remove [sweep] (the plan chooses the values), or run the sweep with `wattsim sweep`",
        ));
    }
    let raw: RawPlan = Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| ScenarioError::Syntax {
            path: path.to_path_buf(),
            message: format!(
                "in [plan]: {}",
                super::suggest::enrich_serde_message(&e.to_string())
            ),
        })?;
    template.check_key(&raw.vary).map_err(|problem| {
        ctx.err(
            &at.key("vary"),
            &raw.vary,
            problem,
            "name an integer key as section.key, with array entries by index, e.g. \"pools.0.nodes\"",
        )
    })?;
    if let Some(v) = template.get(&raw.vary).filter(|v| !v.is_integer()) {
        return Err(ctx.err(
            &at.key("vary"),
            &raw.vary,
            format!("the key holds {} ({v}), not a whole number", v.type_str()),
            "size an integer key such as a pool's `nodes`",
        ));
    }
    if raw.min < 0 || raw.min > raw.max {
        return Err(ctx.err(
            &at.key("min"),
            format!("{}..{}", raw.min, raw.max),
            "the range must have 0 ≤ min ≤ max",
            "e.g. min = 8, max = 400",
        ));
    }
    let replications = raw.replications.unwrap_or(5);
    if !(1..=MAX_REPLICATIONS as i64).contains(&replications) {
        return Err(ctx.err(
            &at.key("replications"),
            replications,
            format!("must be a whole number from 1 to {MAX_REPLICATIONS}"),
            "e.g. replications = 5",
        ));
    }
    let decide = match raw.decide.as_deref() {
        None | Some("mean") => Decide::Mean,
        Some("upper_ci") => Decide::UpperCi,
        Some(other) => {
            return Err(ctx.err(
                &at.key("decide"),
                other,
                "unknown way to judge a target",
                "write \"mean\" or \"upper_ci\" (the 95 % interval's pessimistic end meets the target)",
            ));
        }
    };
    if decide == Decide::UpperCi && replications < 2 {
        return Err(ctx.err(
            &at.key("replications"),
            replications,
            "decide = \"upper_ci\" needs a confidence interval, so at least 2 replications",
            "set replications = 5 or more",
        ));
    }
    if raw.targets.is_empty() {
        return Err(ctx.err(
            &at.key("targets"),
            "(none)",
            "a plan needs at least one target",
            "add [[plan.targets]] with metric = \"p95_wait_s\" and at_most = 3600.0",
        ));
    }
    let mut targets = vec![];
    for (i, t) in raw.targets.into_iter().enumerate() {
        let key = at.key("targets").index(i);
        if !crate::report::summary::METRICS.contains(&t.metric.as_str()) {
            let hint = match nearest(&t.metric, crate::report::summary::METRICS.iter().copied()) {
                Some(m) => format!("did you mean `{m}`? (any numeric summary.json metric)"),
                None => format!(
                    "use a numeric summary.json metric: {}",
                    crate::report::summary::METRICS.join(", ")
                ),
            };
            return Err(ctx.err(&key.key("metric"), &t.metric, "not a summary metric", hint));
        }
        let bound = match (t.at_most, t.at_least) {
            (Some(v), None) => Bound::AtMost(v),
            (None, Some(v)) => Bound::AtLeast(v),
            _ => {
                return Err(ctx.err(
                    &key,
                    &t.metric,
                    "a target needs exactly one of `at_most` and `at_least`",
                    "e.g. at_most = 3600.0",
                ));
            }
        };
        if !bound.value().is_finite() {
            return Err(ctx.err(
                &key.key(bound.name()),
                bound.value(),
                "not a finite number",
                "write the bound as an ordinary number",
            ));
        }
        targets.push(Target {
            metric: t.metric,
            bound,
        });
    }
    let mut alternatives = vec![];
    for (i, alt) in raw.alternatives.into_iter().enumerate() {
        let key = at.key("alternatives").index(i);
        let mut settings = vec![];
        for (k, value) in alt {
            if k == raw.vary {
                return Err(ctx.err(
                    &key,
                    &k,
                    "an alternative cannot set the key the plan sizes",
                    "remove it from the alternative",
                ));
            }
            template.check_key(&k).map_err(|problem| {
                ctx.err(
                    &key,
                    &k,
                    problem,
                    "name keys as section.key, with array entries by index, e.g. \"pools.0.device\"",
                )
            })?;
            settings.push(Setting {
                key: k,
                value,
                at: template.locate(&key),
            });
        }
        let label: Vec<String> = settings
            .iter()
            .map(|s| format!("{} = {}", s.key, s.shown()))
            .collect();
        alternatives.push(Alternative {
            label: if label.is_empty() {
                "base".to_string()
            } else {
                label.join(", ")
            },
            settings,
        });
    }
    if alternatives.is_empty() {
        alternatives.push(Alternative {
            label: "base".to_string(),
            settings: vec![],
        });
    }
    let spec = PlanSpec {
        vary_at: template.locate(&at.key("vary")),
        template,
        vary: raw.vary,
        min: raw.min,
        max: raw.max,
        replications: replications as u64,
        decide,
        targets,
        alternatives,
    };
    for alt in &spec.alternatives {
        for v in [spec.min, spec.max] {
            spec.scenario(alt, v)?;
        }
    }
    Ok(spec)
}

impl PlanSpec {
    /// The validated scenario of `alternative` at `value` of the sized key.
    pub fn scenario(
        &self,
        alternative: &Alternative,
        value: i64,
    ) -> Result<super::Scenario, ScenarioError> {
        let mut settings = alternative.settings.clone();
        settings.push(Setting {
            key: self.vary.clone(),
            value: Value::Integer(value),
            at: self.vary_at,
        });
        self.template
            .variant(&settings)
            .map_err(|e| ScenarioError::PlanPoint {
                path: self.template.path.clone(),
                settings: format!("{}, {} = {value}", alternative.label, self.vary),
                source: Box::new(e),
            })
    }
}
