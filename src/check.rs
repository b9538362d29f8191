//! A refused value, and the small validators every config type shares.
//!
//! A leaf: it imports nothing from the crate, so the config, the losses and the data can all
//! use it without importing each other.

use std::fmt;

/// A refused config value: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The field's path in the JSON config, e.g. `generator.optimizer.lr`.
    pub field: String,
    pub reason: String,
}

impl ConfigError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid config: `{}` {}", self.field, self.reason)
    }
}

impl std::error::Error for ConfigError {}

/// A finite, strictly positive number, or an error naming `field`.
pub fn positive(field: &str, v: f64) -> Result<(), ConfigError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(ConfigError::new(
            field,
            format!("must be a finite number above 0, got {v}"),
        ))
    }
}

/// A number in [0, 1).
pub fn in_unit_interval(field: &str, v: f64) -> Result<(), ConfigError> {
    if v.is_finite() && (0.0..1.0).contains(&v) {
        Ok(())
    } else {
        Err(ConfigError::new(
            field,
            format!("must be in [0, 1), got {v}"),
        ))
    }
}

/// A setting where 0 turns a feature off, up to `max` (both included).
pub fn off_or_up_to(field: &str, v: f64, max: f64) -> Result<(), ConfigError> {
    if (0.0..=max).contains(&v) {
        Ok(())
    } else {
        Err(ConfigError::new(
            field,
            format!("must be between 0 (off) and {max}, got {v}"),
        ))
    }
}

/// A whole number in `min..=max`.
pub fn count(field: &str, v: usize, min: usize, max: usize) -> Result<(), ConfigError> {
    if (min..=max).contains(&v) {
        Ok(())
    } else {
        Err(ConfigError::new(
            field,
            format!("must be between {min} and {max}, got {v}"),
        ))
    }
}

/// A JavaScript number that must be a whole number in `0..=max` (JS has no integers: a seed
/// typed into the page arrives as an f64).
pub fn whole_number(field: &str, v: f64, max: u64) -> Result<u64, ConfigError> {
    if v >= 0.0 && v.fract() == 0.0 && v <= max as f64 {
        Ok(v as u64)
    } else {
        Err(ConfigError::new(
            field,
            format!("must be a whole number between 0 and {max}, got {v}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators_refuse_by_name() {
        assert!(positive("a", 1e-9).is_ok());
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(positive("a", bad).unwrap_err().field, "a");
        }
        assert!(in_unit_interval("b", 0.0).is_ok());
        assert!(in_unit_interval("b", 1.0).is_err());
        assert!(count("c", 3, 1, 3).is_ok());
        assert!(off_or_up_to("d", 0.0, 1.0).is_ok() && off_or_up_to("d", 1.0, 1.0).is_ok());
        for bad in [-0.1, 1.1, f64::NAN] {
            assert_eq!(off_or_up_to("d", bad, 1.0).unwrap_err().field, "d");
        }
        assert!(count("c", 0, 1, 3).is_err() && count("c", 4, 1, 3).is_err());
        assert_eq!(whole_number("seed", 7.0, 10), Ok(7));
        for bad in [-1.0, 0.5, 11.0, f64::NAN] {
            let e = whole_number("seed", bad, 10).unwrap_err();
            assert_eq!(e.field, "seed");
        }
        assert_eq!(
            positive("x.lr", -1.0).unwrap_err().to_string(),
            "invalid config: `x.lr` must be a finite number above 0, got -1"
        );
    }
}
