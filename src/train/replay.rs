//! A half-step recorded once and replayed: burn 0.22.1's graph capture, which cubecl-wgpu
//! implements as a software graph (every launch's pipeline, bind group and uniforms resolved
//! once, at recording; a replay only re-encodes them). On WebGPU a step is ~400 small kernels
//! whose cost is burn's bookkeeping per launch on the CPU, not the GPU's work; a replay skips
//! autodiff, the memory manager and the per-launch resolution.
//!
//! A replay runs the recorded launches on the buffers they had at recording, so a step that
//! replays must read and write the same buffers every time:
//! - its inputs come from one feed buffer (`crate::feed`), refreshed in place before each
//!   replay: the batch, the noise, and every number that changes from step to step;
//! - it writes the next state (parameters, optimizer moments, the average of G) back into the
//!   buffers of the state it read, in place, as its last launches, and the trainer keeps those.
//!
//! Each recording needs a preparation of the device (burn's `graph_prepare`) and in-place
//! steps after it that allocate every buffer the recording then reuses, as a recording may not
//! add memory. So the trainer runs three in-place steps and records D's half; then, under a
//! new preparation, runs G's half in place twice more (D's half replaying already) and records
//! it; from then on both halves replay. Anything that replaces the trainer's state (a restore,
//! a live change) records again.

use burn::backend::{Backend, BackendGraph, Dispatch, DispatchDevice};
use burn::prelude::*;

use super::pinned::{Half, Inputs, dry_run, run, write_back};
use super::{StepLosses, Trainer};
use crate::feed::{Feed, HostFeed};

/// In-place steps before D's recording: they allocate every buffer the recording reuses
/// (burn's own `capture` warms up three times).
const WARM_UP: u32 = 3;

/// In-place G halves, under their own preparation, before G's recording.
const WARM_UP_G: u32 = 2;

/// Recordings tried (a failed one warms up again) before steps run as they are.
const TRIES: u32 = 3;

/// A recorded half-step.
struct Recorded<I> {
    graph: BackendGraph<Dispatch>,
    /// The inputs' places in the feed when recorded: later draws must match.
    inputs: I,
    /// The half's loss as the recording left it: each replay overwrites this buffer. `[1]`
    loss: Tensor<1>,
}

/// Where a trainer stands with replays.
enum Stage {
    /// Every step runs as it is (the CPU backend, or replays turned off, or one that failed,
    /// with why).
    Off(String),
    /// In-place steps run, `done` of them since the device was last prepared; D's half is
    /// recorded first (`d`), then G's (the trainer's `epoch` when they began).
    Recording {
        done: u32,
        d: Option<Recorded<Vec<super::DInputs>>>,
        epoch: u64,
    },
    /// Both halves recorded, at the trainer's `epoch`.
    Ready {
        d: Recorded<Vec<super::DInputs>>,
        g: Recorded<super::GInputs>,
        epoch: u64,
    },
}

impl Stage {
    fn recording(epoch: u64) -> Self {
        Self::Recording {
            done: 0,
            d: None,
            epoch,
        }
    }
}

/// What the next half-step does.
enum Next {
    Plain,
    InPlace { record: bool },
    Replay,
}

/// Records a trainer's half-steps and replays them.
pub struct Replay {
    stage: Stage,
    /// The device when it is prepared for a recording (burn's `graph_prepare`), which holds
    /// until one ends (and blocks another preparation until then).
    prepared: Option<DispatchDevice>,
    /// The feed buffers (plain device), one per half, allocated at the first in-place step.
    feeds: [Option<Tensor<1>>; 2],
    /// Recordings that failed, and why the last one did.
    tries: u32,
    last_failure: Option<String>,
    /// Tests only: the next recording fails (an upload inside it, which a recording refuses).
    #[cfg(feature = "test-hooks")]
    sabotage: bool,
}

impl Replay {
    /// Replays on `device` when it can record (a WebGPU or other cubecl device, without
    /// burn's fusion) and `wanted`; else steps run as they are.
    pub fn new(device: &Device, wanted: bool) -> Self {
        let stage = if !wanted {
            Stage::Off("turned off".into())
        } else if *device == Device::flex() || super::runs_fused(device) {
            Stage::Off("this backend does not record".into())
        } else {
            Stage::recording(u64::MAX)
        };
        Self {
            stage,
            prepared: None,
            feeds: [None, None],
            tries: 0,
            last_failure: None,
            #[cfg(feature = "test-hooks")]
            sabotage: false,
        }
    }

    /// Whether steps replay now (`Ok(false)` while warming up), or else why not.
    pub fn state(&self) -> Result<bool, &str> {
        match &self.stage {
            Stage::Off(why) => Err(why),
            Stage::Recording { .. } => Ok(false),
            Stage::Ready { .. } => Ok(true),
        }
    }

    /// Tests only (the `test-hooks` feature): makes the next recording fail, as one that
    /// finds no room does, by an upload inside it.
    #[cfg(feature = "test-hooks")]
    pub fn fail_next_recording(&mut self) {
        self.sabotage = true;
    }

    /// How many recordings failed (each was followed by the step it was, run as it is), and
    /// why the last one did.
    pub fn failures(&self) -> (u32, Option<&str>) {
        (self.tries, self.last_failure.as_deref())
    }

    /// One step: `d_steps` D updates, then one G update.
    pub fn step(&mut self, t: &mut Trainer) -> StepLosses {
        let d_loss = self.discriminator_phase(t);
        self.generator_phase(t, d_loss)
    }

    pub fn discriminator_phase(&mut self, t: &mut Trainer) -> Tensor<1> {
        match self.next(t, Half::D) {
            Next::Plain => t.discriminator_phase(),
            Next::InPlace { record } => self.in_place(t, Half::D, record),
            Next::Replay => self.replay(t, Half::D),
        }
    }

    pub fn generator_phase(&mut self, t: &mut Trainer, d_loss: Tensor<1>) -> StepLosses {
        let g_loss = match self.next(t, Half::G) {
            Next::Plain => return t.generator_phase(d_loss),
            Next::InPlace { record } => {
                let loss = self.in_place(t, Half::G, record);
                if let Stage::Recording { done, .. } = &mut self.stage {
                    *done += 1;
                }
                loss
            }
            Next::Replay => self.replay(t, Half::G),
        };
        t.end_step();
        StepLosses { d_loss, g_loss }
    }

    /// What `half` does next. Starts over when the trainer's state was replaced since the
    /// recording (its buffers are not the recorded ones) or its config changed.
    fn next(&mut self, t: &mut Trainer, half: Half) -> Next {
        let epoch = match &self.stage {
            Stage::Off(_) => return Next::Plain,
            Stage::Recording { epoch, .. } | Stage::Ready { epoch, .. } => *epoch,
        };
        if epoch != t.epoch {
            self.stage = Stage::recording(t.epoch);
        }
        if let Stage::Recording { .. } = self.stage
            && self.prepared.is_none()
        {
            t.pinned = true;
            let device = t.plain_device.as_dispatch();
            match Dispatch::graph_prepare(device) {
                Ok(()) => self.prepared = Some(device.clone()),
                Err(e) => {
                    self.give_up(t, format!("could not prepare a recording: {e:?}"));
                    return Next::Plain;
                }
            }
        }
        match (&self.stage, half) {
            (Stage::Off(_), _) => Next::Plain,
            (Stage::Ready { .. }, _) | (Stage::Recording { d: Some(_), .. }, Half::D) => {
                Next::Replay
            }
            (Stage::Recording { done, d: None, .. }, Half::D) => Next::InPlace {
                record: *done >= WARM_UP,
            },
            (Stage::Recording { done, d, .. }, Half::G) => Next::InPlace {
                record: d.is_some() && *done >= WARM_UP_G,
            },
        }
    }

    fn give_up(&mut self, t: &mut Trainer, why: String) {
        if let Some(device) = self.prepared.take() {
            let _ = Dispatch::graph_stop_capture(&device);
        }
        t.pinned = false;
        self.stage = Stage::Off(why);
    }

    /// `host` written into the half's feed buffer, in place (outside any recording).
    fn refresh(&mut self, half: Half, host: HostFeed, device: &Device) -> Feed {
        let n = host.len();
        let fresh = host.upload(device);
        let slot = &mut self.feeds[half as usize];
        let buffer = match slot.take() {
            Some(b) if b.dims() == [n] => {
                // A replay reads the recorded buffer: the write must land in it.
                assert!(b.can_mut(), "the feed buffer has another handle");
                b.slice_assign([0..n], fresh.0.inner())
            }
            _ => fresh.0.inner(),
        };
        *slot = Some(buffer.clone());
        Feed(Tensor::from_inner(buffer))
    }

    /// A half-step that writes its next state into its state's own buffers; recorded when
    /// `record` (the recording then runs once, as the recording itself runs nothing).
    fn in_place(&mut self, t: &mut Trainer, half: Half, record: bool) -> Tensor<1> {
        let device = t.device.clone();
        let dispatch = t.plain_device.as_dispatch().clone();
        let (host, inputs) = match half {
            Half::D => {
                let (host, inputs) = t.draw_discriminator_phase();
                (host, Inputs::D(inputs))
            }
            Half::G => {
                let (host, inputs) = t.draw_generator_phase();
                (host, Inputs::G(inputs))
            }
        };
        let feed = self.refresh(half, host, &device);
        if record {
            dry_run(t, half, &feed, &inputs);
        }
        // A recording that fails leaves the state it was to write unreadable (its launches
        // never ran, and their outputs are marked so): the half then starts again from a copy.
        // Every in-place step takes one, so that the recording allocates as its warm-up did.
        let backup = t.backup(half);
        let old = t.state(half);
        let recording = record
            && match Dispatch::graph_start_capture(&dispatch) {
                Ok(()) => true,
                Err(e) => {
                    self.give_up(t, format!("could not record: {e:?}"));
                    false
                }
            };
        let loss = run(t, &feed, &inputs);
        #[cfg(feature = "test-hooks")]
        if recording && std::mem::take(&mut self.sabotage) {
            let _ = Tensor::<1>::from_floats([0.0], &t.plain_device);
        }
        let in_place = write_back(t, half, old);
        if !recording {
            return loss;
        }
        let stopped = Dispatch::graph_stop_capture(&dispatch);
        self.prepared = None; // a recording that ends, well or not, ends the preparation
        let failure = match stopped {
            // The state had another handle (a checkpoint that shares it, say): the recording
            // wrote copies, and a replay would not move the trainer's state.
            Ok(_) if !in_place => "the state is shared, so it cannot be written in place".into(),
            // SAFETY: every buffer the recording touched is held: the feed here, the state by
            // the trainer (pinned: checkpoints copy it), the loss below.
            Ok(graph) => match unsafe { Dispatch::graph_replay(&dispatch, &graph) } {
                Ok(()) => {
                    let out = loss.clone().mul_scalar(1.0);
                    self.keep(half, graph, inputs, loss, t.epoch);
                    return out;
                }
                Err(e) => format!("the first replay failed: {e:?}"),
            },
            Err(e) => format!("the recording failed: {e:?}"),
        };
        // Nothing recorded ran: the half runs again, as it is, from the copy.
        t.recover(half, backup);
        let loss = run(t, &feed, &inputs);
        self.failed(t, half, failure);
        loss
    }

    /// After a recording failed: the next steps warm up and record again, up to `TRIES`
    /// times; then steps run as they are.
    fn failed(&mut self, t: &mut Trainer, half: Half, why: String) {
        self.tries += 1;
        self.last_failure = Some(format!("{half:?}'s half: {why}"));
        if self.tries >= TRIES {
            self.give_up(t, format!("{half:?}'s half: {why}"));
        } else {
            self.stage = Stage::recording(t.epoch);
        }
    }

    /// Files a recorded half: D's starts G's warm-up (under a new preparation: a recording
    /// ends its own), G's makes the stage ready.
    fn keep(
        &mut self,
        half: Half,
        graph: BackendGraph<Dispatch>,
        inputs: Inputs,
        loss: Tensor<1>,
        epoch: u64,
    ) {
        let stage = std::mem::replace(&mut self.stage, Stage::recording(epoch));
        self.stage = match (stage, half, inputs) {
            (Stage::Recording { d: None, .. }, Half::D, Inputs::D(inputs)) => {
                let d = Recorded {
                    graph,
                    inputs,
                    loss,
                };
                Stage::Recording {
                    done: 0,
                    d: Some(d),
                    epoch,
                }
            }
            (Stage::Recording { d: Some(d), .. }, Half::G, Inputs::G(inputs)) => {
                let g = Recorded {
                    graph,
                    inputs,
                    loss,
                };
                Stage::Ready { d, g, epoch }
            }
            _ => unreachable!("D's half is recorded first, then G's"),
        };
    }

    fn replay(&mut self, t: &mut Trainer, half: Half) -> Tensor<1> {
        let device = t.device.clone();
        let dispatch = t.plain_device.as_dispatch().clone();
        let host = match (half, self.recorded_d(), self.recorded_g()) {
            (Half::D, Some(d), _) => {
                let (host, inputs) = t.draw_discriminator_phase();
                assert!(
                    inputs == d.inputs,
                    "a config change records again (the epoch)"
                );
                host
            }
            (Half::G, _, Some(g)) => {
                let (host, inputs) = t.draw_generator_phase();
                assert!(
                    inputs == g.inputs,
                    "a config change records again (the epoch)"
                );
                host
            }
            _ => unreachable!("a half replays once recorded"),
        };
        let _feed = self.refresh(half, host, &device);
        let (graph, loss) = match (half, self.recorded_d(), self.recorded_g()) {
            (Half::D, Some(d), _) => (&d.graph, &d.loss),
            (Half::G, _, Some(g)) => (&g.graph, &g.loss),
            _ => unreachable!(),
        };
        // SAFETY: as at the first replay (`in_place`).
        if let Err(e) = unsafe { Dispatch::graph_replay(&dispatch, graph) } {
            panic!("a replay failed: {e:?}");
        }
        match half {
            Half::D => t.d_optimizer.advance(t.config.d_steps as u32),
            Half::G => t.g_optimizer.advance(1),
        }
        // Copied out of the buffer the next replay overwrites.
        loss.clone().mul_scalar(1.0)
    }
}

impl Replay {
    fn recorded_d(&self) -> Option<&Recorded<Vec<super::DInputs>>> {
        match &self.stage {
            Stage::Recording { d, .. } => d.as_ref(),
            Stage::Ready { d, .. } => Some(d),
            Stage::Off(_) => None,
        }
    }

    fn recorded_g(&self) -> Option<&Recorded<super::GInputs>> {
        match &self.stage {
            Stage::Ready { g, .. } => Some(g),
            _ => None,
        }
    }
}

impl Drop for Replay {
    /// A preparation without its recording is unwound (closing it is how), so that the
    /// device can record for the next run.
    fn drop(&mut self) {
        if let Some(device) = self.prepared.take() {
            let _ = Dispatch::graph_stop_capture(&device);
        }
    }
}
