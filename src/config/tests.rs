//! The config's refusals, its JSON form, and the page-facing bounds held against `validate()`.

use super::catalog::catalog;
use super::limits::number_fields;
use super::*;
use crate::loss::GanLoss;

fn refused(mutate: impl FnOnce(&mut GanConfig)) -> String {
    let mut c = GanConfig::default();
    mutate(&mut c);
    c.validate().expect_err("should be refused").field
}

#[test]
fn every_preset_is_valid_and_round_trips_through_json() {
    for p in Preset::ALL {
        let c = p.config();
        c.validate().unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(GanConfig::from_json(&c.to_json_pretty()).unwrap(), c);
        assert_eq!(p.name().parse::<Preset>().unwrap(), p);
    }
}

#[test]
fn each_bad_value_is_refused_by_name() {
    let nan = f64::NAN;
    assert_eq!(refused(|c| c.batch_size = 0), "batch_size");
    assert_eq!(refused(|c| c.batch_size = 1 << 20), "batch_size");
    assert_eq!(refused(|c| c.d_steps = 0), "d_steps");
    assert_eq!(refused(|c| c.g_ema = 1.0), "g_ema");
    assert_eq!(refused(|c| c.r1 = -1.0), "r1");
    assert_eq!(refused(|c| c.r1 = nan), "r1");
    let mut digits = Preset::DigitsDcgan.config();
    digits.r1 = 1.0;
    assert_eq!(digits.validate().unwrap_err().field, "r1");
    assert_eq!(refused(|c| c.pack = 0), "pack");
    assert_eq!(refused(|c| c.pack = 5), "pack");
    // 256 samples do not split into tuples of 3.
    assert_eq!(refused(|c| c.pack = 3), "pack");
    let mut digits = Preset::DigitsDcgan.config();
    digits.pack = 2;
    assert_eq!(digits.validate().unwrap_err().field, "pack");
    // A class for G and D needs labelled data, one class per D row, and no hand-written
    // input-gradient penalty (which would see the class columns too).
    assert_eq!(refused(|c| c.conditional = true), "conditional");
    let mut mlp = Preset::DigitsMlp.config();
    mlp.conditional = true;
    mlp.validate()
        .expect("an MLP takes the class as 10 more inputs");
    for bad in [
        |c: &mut GanConfig| c.pack = 2,
        |c: &mut GanConfig| c.r1 = 0.3,
        |c: &mut GanConfig| {
            c.loss = GanLoss::WassersteinGp {
                penalty_weight: 0.1,
            }
        },
    ] {
        let mut c = mlp.clone();
        bad(&mut c);
        assert_eq!(c.validate().unwrap_err().field, "conditional");
    }
    assert_eq!(refused(|c| c.g_ema = -0.5), "g_ema");
    assert_eq!(refused(|c| c.lr_decay_steps = 1 << 40), "lr_decay_steps");
    assert_eq!(refused(|c| c.g_ema = nan), "g_ema");
    assert_eq!(refused(|c| c.latent.dim = 0), "latent.dim");
    assert_eq!(refused(|c| c.generator.width = 0), "generator.width");
    assert_eq!(
        refused(|c| c.discriminator.width = 0),
        "discriminator.width"
    );
    assert_eq!(refused(|c| c.generator.depth = 0), "generator.depth");
    assert_eq!(
        refused(|c| c.discriminator.depth = 99),
        "discriminator.depth"
    );
    for bad in [nan, -1e-3, 0.0, f64::INFINITY] {
        let f = refused(|c| {
            c.discriminator.optimizer = OptimizerConfig::Adam {
                lr: bad,
                beta1: 0.5,
                beta2: 0.9,
            }
        });
        assert_eq!(f, "discriminator.optimizer.lr", "lr {bad}");
    }
    assert_eq!(
        refused(|c| c.generator.optimizer = OptimizerConfig::Adam {
            lr: 1e-3,
            beta1: 1.0,
            beta2: 0.9
        }),
        "generator.optimizer.beta1"
    );
    assert_eq!(
        refused(|c| c.generator.optimizer = OptimizerConfig::Adam {
            lr: 1e-3,
            beta1: 0.5,
            beta2: -0.1
        }),
        "generator.optimizer.beta2"
    );
    assert_eq!(
        refused(|c| c.generator.optimizer = OptimizerConfig::Sgd {
            lr: 1e-3,
            momentum: nan
        }),
        "generator.optimizer.momentum"
    );
    assert_eq!(
        refused(|c| c.generator.optimizer = OptimizerConfig::RmsProp { lr: -1.0 }),
        "generator.optimizer.lr"
    );
    assert_eq!(
        refused(|c| c.loss = GanLoss::Wasserstein { clip: 0.0 }),
        "loss.clip"
    );
    assert_eq!(
        refused(|c| c.loss = GanLoss::WassersteinGp {
            penalty_weight: nan as f32
        }),
        "loss.penalty_weight"
    );
    assert_eq!(
        refused(|c| c.data = Data::Plane(PlaneDistribution::GaussianRing {
            modes: 8,
            radius: 2.0,
            std: -0.1
        })),
        "data.std"
    );
    assert_eq!(
        refused(|c| c.data = Data::Plane(PlaneDistribution::GaussianRing {
            modes: 0,
            radius: 2.0,
            std: 0.1
        })),
        "data.modes"
    );
    assert_eq!(
        refused(|c| c.data = Data::Plane(PlaneDistribution::GaussianGrid {
            side: 5,
            spacing: nan as f32,
            std: 0.1
        })),
        "data.spacing"
    );
    assert_eq!(
        refused(|c| c.data = Data::Plane(PlaneDistribution::Spiral {
            turns: 0.0,
            radius: 3.0,
            std: 0.1
        })),
        "data.turns"
    );
    assert_eq!(
        refused(|c| c.data = Data::Plane(PlaneDistribution::Ring {
            radius: 2.0,
            std: 1e-5
        })),
        "data.std"
    );
    assert_eq!(
        refused(|c| c.data = Data::Plane(PlaneDistribution::Points {
            points: vec![],
            std: 0.1
        })),
        "data.points"
    );
    assert_eq!(
        refused(|c| c.data = Data::Plane(PlaneDistribution::Points {
            points: vec![[f32::NAN, 0.0]],
            std: 0.1
        })),
        "data.points"
    );
}

#[test]
fn dcgan_is_refused_where_it_cannot_run() {
    let dcgan = |mutate: fn(&mut GanConfig)| {
        let mut c = Preset::DigitsDcgan.config();
        mutate(&mut c);
        c.validate().expect_err("should be refused")
    };
    let e = dcgan(|c| c.data = Preset::Ring8.config().data);
    assert_eq!(e.field, "model");
    assert_eq!(dcgan(|c| c.generator.depth = 3).field, "generator.depth");
    assert_eq!(
        dcgan(|c| c.discriminator.width = 1000).field,
        "discriminator.width"
    );
    let e = dcgan(|c| {
        c.loss = GanLoss::WassersteinGp {
            penalty_weight: 10.0,
        }
    });
    assert_eq!(e.field, "loss");
    // The MLP critic has its input gradient, so WGAN-GP on digits is fine with it.
    let mut c = Preset::DigitsMlp.config();
    c.loss = GanLoss::WassersteinGp {
        penalty_weight: 10.0,
    };
    c.validate().unwrap();
}

#[test]
fn data_json_is_one_object_tagged_by_kind() {
    let digits = Preset::DigitsDcgan.config();
    let v: serde_json::Value = serde_json::from_str(&digits.to_json_pretty()).unwrap();
    assert_eq!(v["data"], serde_json::json!({"kind": "mnist"}));
    assert_eq!(v["model"], "dcgan");
    // An old config without `model` still reads, as an MLP.
    let mut v: serde_json::Value =
        serde_json::from_str(&GanConfig::default().to_json_pretty()).unwrap();
    v.as_object_mut().unwrap().remove("model");
    assert_eq!(
        GanConfig::from_json(&v.to_string()).unwrap(),
        GanConfig::default()
    );
    // A bad toy distribution keeps its own message.
    v["data"] = serde_json::json!({"kind": "ring8"});
    let e = GanConfig::from_json(&v.to_string()).unwrap_err();
    assert!(e.to_string().contains("unknown variant `ring8`"), "{e}");
    v["data"] = serde_json::json!({"kind": "mnist", "digits": 5});
    let e = GanConfig::from_json(&v.to_string()).unwrap_err();
    assert!(e.to_string().contains("digits"), "{e}");
}

#[test]
fn unknown_preset_lists_the_known_ones() {
    let e = "ring9".parse::<Preset>().unwrap_err();
    assert_eq!(e.field, "preset");
    assert!(
        e.reason.contains("ring8") && e.reason.contains("moons"),
        "{e}"
    );
}

#[test]
fn json_errors_name_the_field() {
    let mut v: serde_json::Value =
        serde_json::from_str(&GanConfig::default().to_json_pretty()).unwrap();
    v["batch_size"] = serde_json::json!(0);
    let e = GanConfig::from_json(&v.to_string()).unwrap_err();
    assert_eq!(e.field, "batch_size");

    v["batch_size"] = serde_json::json!(64);
    v["generator"]["widht"] = serde_json::json!(3);
    let e = GanConfig::from_json(&v.to_string()).unwrap_err();
    assert!(e.to_string().contains("widht"), "{e}");

    v["generator"].as_object_mut().unwrap().remove("widht");
    v["loss"] = serde_json::json!({"kind": "hinge"});
    let e = GanConfig::from_json(&v.to_string()).unwrap_err();
    assert!(e.to_string().contains("hinge"), "{e}");
}

/// `config` with the number at JSON `path` set to `v`, validated.
fn with_number(config: &GanConfig, path: &str, v: f64) -> Result<(), ConfigError> {
    let mut json = serde_json::to_value(config).unwrap();
    let slot = path
        .split('.')
        .fold(&mut json, |node, key| node.get_mut(key).unwrap());
    *slot = if v.fract() == 0.0 && v >= 0.0 {
        serde_json::json!(v as u64)
    } else {
        serde_json::json!(v)
    };
    let c: GanConfig = serde_json::from_value(json)
        .map_err(|e| ConfigError::new(path, format!("did not parse: {e}")))?;
    c.validate()
}

#[test]
fn the_pages_number_bounds_are_exactly_what_validate_enforces() {
    let mlp = Preset::Ring8.config();
    let dcgan = Preset::DigitsDcgan.config();
    for f in number_fields() {
        let step = if f.integer { 1.0 } else { 1e-9 };
        let refused = |c: &GanConfig, v: f64| match with_number(c, f.path, v) {
            Err(e) => assert_eq!(e.field, f.path, "{} = {v}: {e}", f.path),
            Ok(()) => panic!("{} = {v} was accepted", f.path),
        };
        // The lower bound: accepted at (or just above) it, refused below.
        let low = if f.above_min { f.min + step } else { f.min };
        with_number(&mlp, f.path, low).unwrap_or_else(|e| panic!("{} = {low}: {e}", f.path));
        if f.above_min {
            refused(&mlp, f.min);
        } else if f.min > 0.0 {
            refused(&mlp, f.min - step);
        }
        if let Some(max) = f.max {
            with_number(&mlp, f.path, max).unwrap_or_else(|e| panic!("{} = {max}: {e}", f.path));
            refused(&mlp, max + step);
        }
        if let Some(max) = f.max_dcgan {
            with_number(&dcgan, f.path, max).unwrap_or_else(|e| panic!("{}: {e}", f.path));
            refused(&dcgan, max + step);
        }
    }
}

#[test]
fn the_catalog_lists_every_choice_once() {
    let c = catalog();
    assert_eq!(c.presets.len(), Preset::ALL.len());
    assert_eq!(c.losses.len(), GanLoss::ALL.len());
    // A new variant fails to compile here until the catalog lists it.
    for a in c.activations.iter().map(|c| c.value) {
        match a {
            Activation::Relu | Activation::LeakyRelu | Activation::Tanh => {}
        }
    }
    assert_eq!(c.activations.len(), 3);
    assert_eq!(c.architectures.len(), 2);
    assert_eq!(c.latent_distributions.len(), 2);
    let conditionings: Vec<bool> = c.conditionings.iter().map(|c| c.value).collect();
    assert_eq!(conditionings, [false, true]);
    assert_eq!(c.optimizers.len(), 3);
    for p in &c.presets {
        p.config.validate().unwrap();
        assert_eq!(
            p.lesson.is_some(),
            p.group == presets::PresetGroup::Lesson,
            "{}",
            p.name
        );
    }
    for path in c.live {
        assert!(
            c.numbers.iter().any(|f| f.path == path) || path == "loss",
            "{path}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&c.to_json()).unwrap();
    assert_eq!(json["presets"][0]["name"], "ring8");
    assert_eq!(json["default_preset"], "ring8");
    // Every setting's path is in a config, and the live ones are exactly LiveSettings's fields.
    let config = serde_json::to_value(Preset::DEFAULT.config()).unwrap();
    for s in &c.settings {
        let pointer = format!("/{}", s.path.replace('.', "/"));
        assert!(config.pointer(&pointer).is_some(), "{}", s.path);
    }
    let live = serde_json::to_value(Preset::DEFAULT.config().live()).unwrap();
    let keys: Vec<&str> = c
        .settings
        .iter()
        .filter(|s| s.live)
        .map(|s| s.key)
        .collect();
    let mut fields: Vec<&str> = live
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    fields.sort();
    assert_eq!(sorted, fields);
    let paths: Vec<&str> = c
        .settings
        .iter()
        .filter(|s| s.live)
        .map(|s| s.path)
        .collect();
    assert_eq!(paths, c.live);
    assert_eq!(json["losses"][3]["value"]["kind"], "wasserstein");
    assert_eq!(json["losses"][3]["scale"], "critic");
}

#[test]
fn the_learning_rates_fall_by_inverse_time_under_lr_decay_steps() {
    let mut c = Preset::DigitsDcgan.config();
    assert_eq!(c.optimizer_at(&c.generator, 5000), c.generator.optimizer);
    c.lr_decay_steps = 500;
    let lr = |step| c.optimizer_at(&c.discriminator, step).lr();
    assert_eq!(lr(0), 2e-4);
    assert!((lr(500) - 1e-4).abs() < 1e-12, "half at T");
    assert!((lr(1000) - 2e-4 / 3.0).abs() < 1e-12, "a third at 2T");
}

#[test]
fn configs_from_before_conditioning_read_as_unconditional() {
    let mut json: serde_json::Value =
        serde_json::from_str(&Preset::DigitsDcgan.config().to_json_pretty()).unwrap();
    json.as_object_mut().unwrap().remove("conditional");
    json.as_object_mut().unwrap().remove("lr_decay_steps");
    let c = GanConfig::from_json(&json.to_string()).unwrap();
    assert_eq!(c, Preset::DigitsDcgan.config());
    assert!(!c.conditional);
}

#[test]
fn old_configs_with_hidden_still_read() {
    let json = GanConfig::default()
        .to_json_pretty()
        .replace("\"width\"", "\"hidden\"");
    assert_eq!(GanConfig::from_json(&json).unwrap(), GanConfig::default());
}

#[test]
fn live_settings_apply_or_refuse_by_name() {
    let c = GanConfig::default();
    let mut live = c.live();
    live.d_steps = 3;
    live.loss = GanLoss::LeastSquares;
    let changed = c.with_live(live).unwrap();
    assert_eq!(changed.live(), live);
    live.generator_lr = f64::NAN;
    assert_eq!(
        c.with_live(live).unwrap_err().field,
        "generator.optimizer.lr"
    );
}
