//! What a shop declares about measuring, in a file given to `aisle build --measuring` and carried
//! in the bundle's manifest: an experiment (arms, their shares, and what each changes) and where
//! reports go. Both are optional; a bundle that declares neither measures nothing and sends
//! nothing.
//!
//! An arm changes what the store shows by hiding shelves (`"hide": ["trending"]`): a shelf on
//! in one arm and off in the other is the experiment a shop most often wants first ("does this
//! shelf sell?"), and it needs no second model in the bundle.
//!
//! Each browser draws its arm once, with the shop's shares, from a uniform number the store
//! takes from the browser ([`Experiment::draw`]), and keeps it in the shopper's profile, so the
//! arm says nothing about what the shopper did.
//!
//! ```
//! use aisle_core::measure::experiment::Measuring;
//! let measuring = Measuring::from_json(br#"{
//!     "experiment": { "name": "trending-shelf", "arms": [
//!         { "name": "with", "share": 0.5 },
//!         { "name": "without", "share": 0.5, "hide": ["trending"] } ] },
//!     "reports": { "endpoint": "https://reports.example.com/aisle", "epsilon": 1.0 }
//! }"#, "measuring.json").unwrap();
//! let experiment = measuring.experiment.as_ref().unwrap();
//! assert_eq!(experiment.draw(0.7).name, "without");
//! assert!(experiment.arm("without").unwrap().hides("trending"));
//! let error = Measuring::from_json(br#"{ "reports": { "endpoint": "http://reports.example.com", "epsilon": 1 } }"#, "measuring.json").unwrap_err();
//! assert!(error.to_string().contains("reports.endpoint: `http://reports.example.com` is not a path on the store's origin"), "{error}");
//! ```

use serde::{Deserialize, Serialize};

use super::randomizer::Randomizer;
use super::report::check_arm;
use crate::error::{Error, Result};
use crate::serve::merchandising::SHELVES;

/// Most arms an experiment may have.
pub const MAX_ARMS: usize = 8;

/// The longest report endpoint accepted, in bytes.
pub const MAX_ENDPOINT_BYTES: usize = 500;

/// What the shop measures. The default measures nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measuring {
    /// The experiment every browser takes part in, unless its shopper leaves it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<Experiment>,
    /// Where browsers send their weekly randomized report; none are sent without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<Reporting>,
}

/// An experiment: named arms with the shares of browsers that draw them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Experiment {
    /// Its name, as arms are named: a new name makes every browser draw again.
    pub name: String,
    /// The arms, in the order their shares are drawn from.
    pub arms: Vec<Arm>,
}

/// One arm of an [`Experiment`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arm {
    /// Its name, sent in reports: 1 to 32 letters, digits, `-` or `_`.
    pub name: String,
    /// The share of browsers that draw it; the shares add up to 1.
    pub share: f64,
    /// The shelves (placements) this arm does not show.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hide: Vec<String>,
}

/// Where reports go, and how much each may tell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reporting {
    /// The address reports are POSTed to: a path on the store's own origin (`/aisle-reports`,
    /// which the store's Content-Security-Policy already allows), an `https://` address (which
    /// the shop adds to the policy's `connect-src`), or `http://` on this machine (`localhost`,
    /// `127.0.0.1`) for trying a collector out.
    pub endpoint: String,
    /// The privacy budget of one report (see [`super::randomizer`]).
    pub epsilon: f64,
}

impl Measuring {
    /// Reads and checks a declaration from JSON; an error names `source_name` and the field at
    /// fault, or the line and column JSON could not be read at.
    pub fn from_json(bytes: &[u8], source_name: &str) -> Result<Self> {
        let invalid = |reason: String| Error::InvalidData {
            reason: format!("{source_name}: {reason}"),
        };
        let measuring: Self =
            serde_json::from_slice(bytes).map_err(|error| invalid(error.to_string()))?;
        measuring.check().map_err(invalid)?;
        Ok(measuring)
    }

    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Checks what JSON cannot; the message names the field.
    pub fn check(&self) -> std::result::Result<(), String> {
        if let Some(experiment) = &self.experiment {
            experiment.check()?;
        }
        if let Some(reports) = &self.reports {
            reports.check()?;
        }
        Ok(())
    }

    /// The arm named `arm` of the experiment named `experiment`, when this bundle declares both.
    pub fn arm(&self, experiment: &str, arm: &str) -> Option<&Arm> {
        self.experiment
            .as_ref()
            .filter(|declared| declared.name == experiment)?
            .arm(arm)
    }
}

impl Experiment {
    /// The arm a browser whose uniform draw in [0, 1) is `uniform` takes: the arms' shares laid
    /// end to end, in order.
    pub fn draw(&self, uniform: f64) -> &Arm {
        let mut upto = 0.0;
        for arm in &self.arms {
            upto += arm.share;
            if uniform < upto {
                return arm;
            }
        }
        // Rounding left the sum a hair below 1.
        self.arms.last().expect("a checked experiment has arms")
    }

    /// The arm named `name`.
    pub fn arm(&self, name: &str) -> Option<&Arm> {
        self.arms.iter().find(|arm| arm.name == name)
    }

    fn check(&self) -> std::result::Result<(), String> {
        check_arm(&self.name).map_err(|reason| format!("experiment.name: {reason}"))?;
        if !(2..=MAX_ARMS).contains(&self.arms.len()) {
            return Err(format!(
                "experiment.arms: {} arm(s); an experiment has 2 to {MAX_ARMS}",
                self.arms.len()
            ));
        }
        for (index, arm) in self.arms.iter().enumerate() {
            let field = format!("experiment.arms[{index}]");
            check_arm(&arm.name).map_err(|reason| format!("{field}.name: {reason}"))?;
            if self.arms[..index]
                .iter()
                .any(|before| before.name == arm.name)
            {
                return Err(format!("{field}.name: `{}` is named twice", arm.name));
            }
            if !(arm.share.is_finite() && arm.share > 0.0 && arm.share < 1.0) {
                return Err(format!(
                    "{field}.share: {} is not a share between 0 and 1",
                    arm.share
                ));
            }
            if let Some(shelf) = arm
                .hide
                .iter()
                .find(|shelf| !SHELVES.contains(&shelf.as_str()))
            {
                return Err(format!(
                    "{field}.hide: `{shelf}` is not a shelf (the shelves are {})",
                    SHELVES.join(", ")
                ));
            }
        }
        let total: f64 = self.arms.iter().map(|arm| arm.share).sum();
        if (total - 1.0).abs() > 1e-6 {
            return Err(format!(
                "experiment.arms: the shares add up to {total}, not 1"
            ));
        }
        Ok(())
    }
}

impl Arm {
    /// Whether this arm hides the shelf `placement`.
    pub fn hides(&self, placement: &str) -> bool {
        self.hide.iter().any(|hidden| hidden == placement)
    }
}

impl Reporting {
    fn check(&self) -> std::result::Result<(), String> {
        Randomizer::new(self.epsilon).map_err(|error| format!("reports.epsilon: {error}"))?;
        let endpoint = &self.endpoint;
        let local = ["http://localhost", "http://127.0.0.1"]
            .iter()
            .any(|origin| {
                endpoint
                    .strip_prefix(origin)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
            });
        // `//host` would be another origin, named without its scheme.
        let same_origin = endpoint.starts_with('/') && !endpoint.starts_with("//");
        let usable = (endpoint.starts_with("https://") && endpoint.len() > "https://".len())
            || local
            || same_origin;
        if !usable
            || endpoint.len() > MAX_ENDPOINT_BYTES
            || endpoint.chars().any(char::is_whitespace)
        {
            return Err(format!(
                "reports.endpoint: `{endpoint}` is not a path on the store's origin (`/reports`), \
                 an https:// address or http://localhost, of at most {MAX_ENDPOINT_BYTES} bytes"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> std::result::Result<Measuring, String> {
        Measuring::from_json(json.as_bytes(), "m.json").map_err(|error| error.to_string())
    }

    #[test]
    fn draws_follow_the_shares_in_order() {
        let measuring = read(
            r#"{"experiment":{"name":"e","arms":[{"name":"a","share":0.25},{"name":"b","share":0.75}]}}"#,
        )
        .unwrap();
        let experiment = measuring.experiment.unwrap();
        assert_eq!(experiment.draw(0.0).name, "a");
        assert_eq!(experiment.draw(0.2499).name, "a");
        assert_eq!(experiment.draw(0.25).name, "b");
        assert_eq!(experiment.draw(0.999_999_999).name, "b");
    }

    #[test]
    fn faults_name_their_field() {
        let cases = [
            (
                r#"{"experiment":{"name":"e","arms":[{"name":"a","share":1.0}]}}"#,
                "experiment.arms: 1 arm(s)",
            ),
            (
                r#"{"experiment":{"name":"e","arms":[{"name":"a","share":0.5},{"name":"a","share":0.5}]}}"#,
                "experiment.arms[1].name: `a` is named twice",
            ),
            (
                r#"{"experiment":{"name":"e","arms":[{"name":"a","share":0.5},{"name":"b","share":0.4}]}}"#,
                "the shares add up to 0.9",
            ),
            (
                r#"{"experiment":{"name":"e","arms":[{"name":"a b","share":0.5},{"name":"b","share":0.5}]}}"#,
                "experiment.arms[0].name: arm `a b`",
            ),
            (
                r#"{"experiment":{"name":"e","arms":[{"name":"a","share":0.5},{"name":"b","share":0.5,"hide":["footer"]}]}}"#,
                "experiment.arms[1].hide: `footer` is not a shelf",
            ),
            (
                r#"{"reports":{"endpoint":"https://x.example","epsilon":0}}"#,
                "reports.epsilon",
            ),
            (
                r#"{"reports":{"endpoint":"http://localhost.evil.example/","epsilon":1}}"#,
                "reports.endpoint",
            ),
            (
                r#"{"reports":{"endpoint":"https://x.example","epsilon":1,"user":true}}"#,
                "unknown field `user`",
            ),
            ("{\n  \"experiment\": 3\n}", "line 2 column"),
        ];
        for (json, expected) in cases {
            let error = read(json).unwrap_err();
            assert!(
                error.contains("m.json: ") && error.contains(expected),
                "{json}: {error}"
            );
        }
        assert!(
            read(r#"{"reports":{"endpoint":"http://127.0.0.1:8080/collect","epsilon":1}}"#).is_ok()
        );
        assert!(read(r#"{"reports":{"endpoint":"/aisle-reports","epsilon":1}}"#).is_ok());
        assert!(read(r#"{"reports":{"endpoint":"//evil.example/x","epsilon":1}}"#).is_err());
        assert!(read("{}").unwrap().is_empty());
    }
}
