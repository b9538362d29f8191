//! A half-step's state as a recorded step (`replay`) sees it: the buffers it reads and writes
//! in place, the copy it starts again from when a recording fails.

use burn::prelude::*;

use super::Trainer;
use crate::feed::Feed;
use crate::tensor::{named_params, put_params};

/// Which state a half-step writes.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Half {
    D,
    G,
}

/// The half's next state written into `old`'s buffers, and the trainer put back on them.
/// Whether every write was in place (each `old` the last handle on its buffer, as it must be
/// for a recording).
pub(super) fn write_back(t: &mut Trainer, half: Half, old: State) -> bool {
    let new = t.state(half);
    let mut in_place = true;
    let mut put = |old: Vec<Tensor<1>>, new: Vec<Tensor<1>>| {
        // A first update creates its optimizer's vectors: they have no buffers to go into yet.
        let mut old = old.into_iter();
        new.into_iter()
            .map(|new| match old.next() {
                Some(old) => {
                    in_place &= old.can_mut();
                    let n = old.dims()[0];
                    old.slice_assign([0..n], new)
                }
                None => new,
            })
            .collect()
    };
    let ([o0, o1, o2], [n0, n1, n2]) = (old, new);
    let kept = [put(o0, n0), put(o1, n1), put(o2, n2)];
    t.set_state(half, kept);
    in_place
}

/// A half's state as it was before a recording.
pub(super) struct Backup {
    state: State,
    optimizer: crate::optim::Optimizer,
}

/// A module's parameters, flat: `[numel]` views sharing their buffers.
fn params<M: burn::module::Module>(module: &M) -> Vec<Tensor<1>> {
    named_params(module)
        .into_iter()
        .map(|(_, _, t)| t)
        .collect()
}

/// A half's state, flat (`[numel]` views sharing the buffers): the net's parameters, its
/// optimizer's vectors, and (G's half) the average's parameters.
type State = [Vec<Tensor<1>>; 3];

impl Trainer {
    /// The state a half-step writes.
    pub(super) fn state(&self, half: Half) -> State {
        match half {
            Half::D => [
                params(&self.discriminator),
                self.d_optimizer.vectors(),
                Vec::new(),
            ],
            Half::G => [
                params(&self.generator),
                self.g_optimizer.vectors(),
                self.average.as_ref().map(params).unwrap_or_default(),
            ],
        }
    }

    /// A copy of the state a half-step writes, in buffers of its own, with the optimizer's
    /// count.
    pub(super) fn backup(&self, half: Half) -> Backup {
        let copy = |v: Vec<Tensor<1>>| v.into_iter().map(|t| t.mul_scalar(1.0)).collect();
        let [params, vectors, average] = self.state(half);
        let vectors: Vec<Tensor<1>> = copy(vectors);
        let mut optimizer = match half {
            Half::D => self.d_optimizer.clone(),
            Half::G => self.g_optimizer.clone(),
        };
        // Its own vectors, not handles on the trainer's (which are written in place).
        optimizer.set_vectors(vectors.clone());
        Backup {
            state: [copy(params), vectors, copy(average)],
            optimizer,
        }
    }

    /// The state a half-step writes, as it is (sharing its buffers), to go back to.
    pub(super) fn keep(&self, half: Half) -> Backup {
        Backup {
            state: self.state(half),
            optimizer: match half {
                Half::D => self.d_optimizer.clone(),
                Half::G => self.g_optimizer.clone(),
            },
        }
    }

    /// Back to `backup`.
    pub(super) fn recover(&mut self, half: Half, backup: Backup) {
        match half {
            Half::D => self.d_optimizer = backup.optimizer,
            Half::G => self.g_optimizer = backup.optimizer,
        }
        self.set_state(half, backup.state);
    }

    /// Puts `state` back into the nets and optimizers.
    fn set_state(&mut self, half: Half, [params, vectors, average]: State) {
        match half {
            Half::D => {
                self.discriminator = put_params(self.discriminator.clone(), params);
                self.d_optimizer.set_vectors(vectors);
            }
            Half::G => {
                self.generator = put_params(self.generator.clone(), params);
                self.g_optimizer.set_vectors(vectors);
                if let Some(a) = self.average.take() {
                    self.average = Some(put_params(a, average));
                }
            }
        }
    }
}

/// A half's inputs, where they sit in its feed.
pub(super) enum Inputs {
    D(Vec<super::DInputs>),
    G(super::GInputs),
}

/// The half on `feed`'s inputs.
pub(super) fn run(t: &mut Trainer, feed: &Feed, inputs: &Inputs) -> Tensor<1> {
    match inputs {
        Inputs::D(inputs) => t.discriminator_phase_fed(feed, inputs),
        Inputs::G(inputs) => t.generator_phase_fed(feed, inputs),
    }
}

/// The half, in place, on a copy of its state, which is then dropped: run just before a
/// recording, it leaves the device's pools with room for every allocation the recording makes
/// (which may add none), whatever was allocated since the warm-up (the losses kept for the next
/// frame, a tensor a step, are).
pub(super) fn dry_run(t: &mut Trainer, half: Half, feed: &Feed, inputs: &Inputs) {
    let real = t.keep(half);
    let copy = t.backup(half);
    t.recover(half, copy);
    let old = t.state(half);
    drop(run(t, feed, inputs));
    write_back(t, half, old);
    t.recover(half, real);
}
