#![cfg(not(target_arch = "wasm32"))]
//! Hostile input to the config and the live settings: arbitrary JSON, and valid configs with
//! one field replaced by an arbitrary value. The only outcomes allowed are a valid config or a
//! refusal naming a field; never a panic. (A refusal's message must name a JSON path, not be
//! empty.) The run counts are in docs/testing.md.

use gan_lab::config::{GanConfig, LiveSettings, Preset};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Any JSON value, nested a few levels, with numbers from the awkward corners.
fn json() -> impl Strategy<Value = Value> {
    let number = prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(Value::from(0)),
        Just(Value::from(-1)),
        Just(Value::from(1e308)),
        Just(Value::from(u64::MAX)),
        Just(Value::from(1u64 << 53)),
        Just(Value::from(4097)),
        Just(Value::from(65537)),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number,
        "[a-z-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("ring"),
            Just("grid"),
            Just("mnist"),
            Just("adam"),
            Just("wasserstein-gp"),
            Just("points"),
            Just("dcgan"),
            Just("mlp"),
            Just("gaussian"),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The JSON paths of every leaf of `v`.
fn leaves(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(x, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                leaves(x, &format!("{path}/{i}"), out);
            }
        }
        _ => out.push(path.to_string()),
    }
}

/// Refused by name, or accepted and valid.
fn judged(text: &str) {
    match GanConfig::from_json(text) {
        Ok(c) => c.validate().expect("an accepted config is valid"),
        Err(e) => {
            assert!(!e.field.is_empty(), "a refusal without a field: {e}");
            assert!(!e.reason.is_empty(), "a refusal without a reason: {e}");
        }
    }
}

const PRESETS: [Preset; 3] = [Preset::Ring8, Preset::WganGpGrid25, Preset::DigitsDcgan];

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_is_a_config_or_a_named_refusal(v in json()) {
        judged(&v.to_string());
    }

    #[test]
    fn a_valid_config_with_one_field_replaced(preset in 0..PRESETS.len(), pick in any::<usize>(), v in json()) {
        let mut config = serde_json::to_value(PRESETS[preset].config()).unwrap();
        let mut paths = Vec::new();
        leaves(&config, "", &mut paths);
        let path = &paths[pick % paths.len()];
        *config.pointer_mut(path).unwrap() = v;
        judged(&config.to_string());
    }

    #[test]
    fn arbitrary_live_settings_change_a_run_or_are_refused_by_name(
        g in any::<f64>(), d in any::<f64>(), d_steps in any::<usize>(), batch in any::<usize>(), loss in json()
    ) {
        let config = Preset::Ring8.config();
        let live = serde_json::json!({
            "generator_lr": g, "discriminator_lr": d, "loss": loss, "d_steps": d_steps, "batch_size": batch,
        });
        // The page's path: JSON to LiveSettings (may be refused as unreadable), then applied.
        if let Ok(live) = serde_json::from_value::<LiveSettings>(live) {
            match config.with_live(live) {
                Ok(c) => c.validate().unwrap(),
                Err(e) => prop_assert!(!e.field.is_empty()),
            }
        }
    }
}

/// A small run's save file (built once).
fn save_file() -> &'static [u8] {
    static FILE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let dev = burn::prelude::Device::flex();
        let mut s = gan_lab::Session::new(Preset::Ring8.config(), &dev, None).unwrap();
        s.train(2);
        gan_lab::readback::block_on(s.save()).unwrap().into_bytes()
    })
}

/// Loaded, or refused as data/config with a message; never a panic.
fn loaded_or_refused(bytes: &[u8]) {
    let dev = burn::prelude::Device::flex();
    if let Err(e) = gan_lab::Session::load(bytes, &dev, None) {
        assert!(matches!(e.kind(), "data" | "config"), "{e}");
        assert!(!e.to_string().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_are_no_save_file(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        loaded_or_refused(&bytes);
    }

    #[test]
    fn a_save_file_with_bytes_changed_or_cut(flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..8), cut in any::<usize>()) {
        let mut bytes = save_file().to_vec();
        // Mostly in the header, where the structure is.
        let header = 8 + u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        for (at, b) in flips {
            let at = if at % 4 == 0 { at % bytes.len() } else { at % header };
            bytes[at] = b;
        }
        if cut % 5 == 0 {
            bytes.truncate(cut % bytes.len());
        }
        loaded_or_refused(&bytes);
    }
}
