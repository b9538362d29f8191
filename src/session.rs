//! A training run as the page drives it, in plain Rust: the trainer, the digit classifier for
//! digits runs, the losses since the last frame, the last good state and a half-done step of
//! slow motion. The wasm facade (`web`) only converts types; everything a page can ask of a
//! run is here, and tested natively.

use burn::prelude::*;
use std::sync::Arc;

use crate::config::{Data, GanConfig, LiveSettings};
use crate::data::mnist::MnistImages;
use crate::error::Error;
use crate::eval::classifier::DigitClassifier;
use crate::frame::{self, Frame, LossLog};
use crate::save::{SaveFile, SavedRun};
use crate::train::{Checkpoint, Replay, Trainer};

/// What a digits run needs beyond its config: the images and the classifier's weights, parsed
/// and checked once (the page fetches them once; every later digits run reuses them).
#[derive(Clone)]
pub struct DigitAssets {
    images: Arc<MnistImages>,
    classifier: Vec<u8>,
}

impl DigitAssets {
    /// Parses the packed MNIST files (IDX, gzip or not) and checks the classifier's
    /// SafeTensors weights. A corrupt file is refused with the reason.
    pub fn parse(images: &[u8], labels: &[u8], classifier: &[u8]) -> Result<Self, Error> {
        let images = MnistImages::from_idx(images, labels)?;
        // Checked now, so a bad file fails here and not at the first digits run.
        DigitClassifier::from_safetensors(classifier.to_vec(), &Device::flex())?;
        Ok(Self {
            images: Arc::new(images),
            classifier: classifier.to_vec(),
        })
    }

    /// Assets made in memory (tests, benchmarks).
    pub fn new(images: Arc<MnistImages>, classifier: &DigitClassifier) -> Self {
        Self {
            images,
            classifier: classifier.to_safetensors(),
        }
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        self.images.len()
    }

    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }
}

/// The half of a step slow motion just ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// D's `d_steps` updates: the background changed, G's points did not.
    D,
    /// G's update, which ends the step.
    G,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Self::D => "d",
            Self::G => "g",
        }
    }
}

/// A run's trainer, how its steps run (recorded and replayed where the device can), and, for
/// digits, its judge.
struct Run {
    trainer: Trainer,
    replay: Replay,
    judge: Option<DigitClassifier>,
}

impl Run {
    fn judge(
        config: &GanConfig,
        device: &Device,
        assets: Option<&DigitAssets>,
    ) -> Result<Option<DigitClassifier>, Error> {
        match assets {
            Some(a) if config.data.is_images() => Ok(Some(DigitClassifier::from_safetensors(
                a.classifier.clone(),
                device,
            )?)),
            _ => Ok(None),
        }
    }

    fn from_saved(
        saved: SavedRun,
        device: &Device,
        assets: Option<&DigitAssets>,
    ) -> Result<Self, Error> {
        let judge = Self::judge(&saved.config, device, assets)?;
        let images = assets.map(|a| a.images.clone());
        Ok(Self {
            trainer: Trainer::from_saved(saved, images, device)?,
            replay: Replay::new(device, true),
            judge,
        })
    }

    fn new(
        config: GanConfig,
        device: &Device,
        assets: Option<&DigitAssets>,
    ) -> Result<Self, Error> {
        let judge = Self::judge(&config, device, assets)?;
        let trainer = match assets {
            Some(a) if config.data.is_images() => {
                Trainer::with_images(config, a.images.clone(), device)?
            }
            // The plane, or digits without their digits (which the trainer refuses by name).
            _ => Trainer::new(config, device)?,
        };
        Ok(Self {
            trainer,
            replay: Replay::new(device, true),
            judge,
        })
    }
}

/// A training run on one device.
pub struct Session {
    run: Run,
    device: Device,
    log: LossLog,
    last_good: Option<Checkpoint>,
    /// D's loss from a slow-motion D phase whose G phase has not run yet.
    pending_d: Option<Tensor<1>>,
    /// The digit a conditional run's latent walk draws (a view setting: kept across resets).
    walk_class: u8,
}

impl Session {
    /// Starts a run of `config` on `device`; digits need `assets`.
    pub fn new(
        config: GanConfig,
        device: &Device,
        assets: Option<&DigitAssets>,
    ) -> Result<Self, Error> {
        Ok(Self {
            run: Run::new(config, device, assets)?,
            device: device.clone(),
            log: LossLog::default(),
            last_good: None,
            pending_d: None,
            walk_class: 0,
        })
    }

    pub fn config(&self) -> &GanConfig {
        self.run.trainer.config()
    }

    /// Completed steps.
    pub fn step(&self) -> u64 {
        self.run.trainer.steps()
    }

    /// Whether this run trains on digits (its frames are digits frames).
    pub fn is_digits(&self) -> bool {
        self.config().data.is_images()
    }

    /// Runs `steps` steps. On a GPU this only queues work; nothing is read back.
    pub fn train(&mut self, steps: u32) {
        // A step half-done in slow motion ends first, so D is never updated twice in a row.
        let Run {
            trainer, replay, ..
        } = &mut self.run;
        if let Some(d_loss) = self.pending_d.take() {
            self.log.push(replay.generator_phase(trainer, d_loss));
        }
        for _ in 0..steps {
            self.log.push(replay.step(trainer));
        }
    }

    /// Whether steps are recorded once and replayed (`Ok(false)` while the first steps run
    /// as they are), or else why not (on the CPU backend: it does not record).
    pub fn replaying(&self) -> Result<bool, &str> {
        self.run.replay.state()
    }

    /// Turns recording and replaying steps on or off (on by default where the device can).
    pub fn set_replay(&mut self, on: bool) {
        self.run.replay = Replay::new(&self.device, on);
    }

    /// Slow motion: runs half a step, D's `d_steps` updates or else G's update, alternately.
    pub fn half_step(&mut self) -> Phase {
        let Run {
            trainer, replay, ..
        } = &mut self.run;
        match self.pending_d.take() {
            None => {
                self.pending_d = Some(replay.discriminator_phase(trainer));
                Phase::D
            }
            Some(d_loss) => {
                let losses = replay.generator_phase(trainer, d_loss);
                self.log.push(losses);
                Phase::G
            }
        }
    }

    /// Reads the current frame back (asynchronously). A frame whose losses are all finite
    /// becomes the state [`Self::restore_last_good`] returns to.
    pub async fn frame(&mut self) -> Result<Frame, Error> {
        let run = &self.run;
        let frame = match (&run.trainer.config().data, &run.judge) {
            (Data::Plane(data), _) => {
                Frame::Plane(frame::plane::read(&run.trainer, data, &mut self.log).await?)
            }
            (Data::Images(_), Some(judge)) => {
                let (t, walk) = (&run.trainer, self.walk_class);
                Frame::Digits(frame::digits::read(t, &mut self.log, judge, walk).await?)
            }
            (Data::Images(_), None) => unreachable!("Run::new gives a digits run its judge"),
        };
        if !frame.diverged() {
            self.last_good = Some(run.trainer.checkpoint());
        }
        Ok(frame)
    }

    /// The digit a conditional run's latent walk draws from the next frame on (0 to 9). The
    /// walk of an unconditional run has no class, and ignores it.
    pub fn set_walk_class(&mut self, class: u32) -> Result<(), Error> {
        if class as usize >= crate::data::mnist::CLASSES {
            return Err(crate::ConfigError::new(
                "walk_class",
                format!("must be a digit from 0 to 9, got {class}"),
            )
            .into());
        }
        self.walk_class = class as u8;
        Ok(())
    }

    /// The whole run as a save file (see [`crate::save`]). A step half-done in slow motion
    /// ends first, so the file holds a step boundary.
    pub async fn save(&mut self) -> Result<SaveFile, Error> {
        self.train(0);
        Ok(self.run.trainer.save().await?.into_file())
    }

    /// A run continued from a save file on `device` (digits need `assets`). A file that is not
    /// ours, or does not fit its config, is refused with the reason.
    pub fn load(
        bytes: &[u8],
        device: &Device,
        assets: Option<&DigitAssets>,
    ) -> Result<Self, Error> {
        let saved = SavedRun::from_bytes(bytes)?;
        Ok(Self {
            run: Run::from_saved(saved, device, assets)?,
            device: device.clone(),
            log: LossLog::default(),
            last_good: None,
            pending_d: None,
            walk_class: 0,
        })
    }

    /// Returns to the last frame with finite losses; gives its step.
    pub fn restore_last_good(&mut self) -> Result<u64, Error> {
        let cp = self
            .last_good
            .as_ref()
            .ok_or_else(|| Error::State("no good state was saved yet".into()))?;
        self.run.trainer.restore(cp);
        self.log = LossLog::default();
        self.pending_d = None;
        Ok(cp.steps())
    }

    /// Changes learning rates, loss, D steps and batch size in flight. A bad value changes
    /// nothing and is refused by name.
    pub fn set_live(&mut self, live: LiveSettings) -> Result<(), Error> {
        Ok(self.run.trainer.set_live(live)?)
    }

    /// Starts over on the same device from `config` (the current one if `None`), with `seed`
    /// overriding its seed when given. A refused config leaves the current run as it was.
    pub fn reset(
        &mut self,
        config: Option<GanConfig>,
        seed: Option<u64>,
        assets: Option<&DigitAssets>,
    ) -> Result<(), Error> {
        let mut config = config.unwrap_or_else(|| self.config().clone());
        if let Some(seed) = seed {
            config.seed = seed;
        }
        self.run = Run::new(config, &self.device, assets)?;
        self.log = LossLog::default();
        self.pending_d = None;
        self.last_good = None;
        Ok(())
    }
}
