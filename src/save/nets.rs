//! One net and its optimizer between the device and the host: `net_parts` and `saved_net` one
//! way, `restore_net` back (every shape checked against the config first), and the average of
//! G's weights back with `restore_average`.

use burn::module::Module;
use burn::prelude::*;

use super::{HostTensor, SavedNet, SavedSlot};
use crate::error::Error;
use crate::optim::{Optimizer, Slot};
use crate::tensor::{load_params, named_params};

/// A net's parameters and optimizer slots as tensors to read back, with where each goes.
pub(crate) fn net_parts<M: Module>(net: &M, opt: &Optimizer) -> (Vec<Tensor<1>>, Vec<PartOf>) {
    let (mut tensors, mut plan) = (Vec::new(), Vec::new());
    let slots = opt.slots();
    for (i, (path, shape, t)) in named_params(net).into_iter().enumerate() {
        tensors.push(t);
        plan.push(PartOf::Param(path, shape));
        if let Some(slot) = slots.get(i).and_then(Option::as_ref) {
            for (name, t) in slot.tensors() {
                tensors.push(t.clone());
                plan.push(PartOf::Slot(i, slot.kind(), slot.time(), name));
            }
        }
    }
    (tensors, plan)
}

pub(crate) enum PartOf {
    Param(String, Vec<usize>),
    Slot(usize, &'static str, u32, &'static str),
}

pub(crate) fn saved_net(
    plan: Vec<PartOf>,
    values: &mut impl Iterator<Item = Vec<f32>>,
) -> SavedNet {
    let mut net = SavedNet {
        params: Vec::new(),
        slots: Vec::new(),
    };
    for part in plan {
        let values = values.next().expect("one read per part");
        match part {
            PartOf::Param(name, shape) => {
                net.params.push(HostTensor {
                    name,
                    shape,
                    values,
                });
                net.slots.push(None);
            }
            PartOf::Slot(i, kind, time, name) => {
                let slot = net.slots[i].get_or_insert_with(|| SavedSlot {
                    kind: kind.into(),
                    time,
                    tensors: Vec::new(),
                });
                let shape = vec![values.len()];
                slot.tensors.push(HostTensor {
                    name: name.into(),
                    shape,
                    values,
                });
            }
        }
    }
    net
}

/// The average of G's weights checked against `net` (G, built from the saved config), then
/// loaded into it on `device`.
pub(crate) fn restore_average<M: Module>(
    net: M,
    saved: Vec<HostTensor>,
    device: &Device,
) -> Result<M, Error> {
    let expected = named_params(&net);
    let fits = expected.len() == saved.len()
        && expected.iter().zip(&saved).all(|((path, shape, _), t)| {
            *path == t.name
                && *shape == t.shape
                && t.values.len() == shape.iter().product::<usize>()
        });
    if !fits {
        return Err(Error::Data(
            "this save file does not fit its config: the average of G's weights is not G's shape"
                .into(),
        ));
    }
    Ok(load_params(
        net,
        saved.into_iter().map(|t| t.values).collect(),
        device,
    ))
}

/// `saved`'s parameters and slots checked against `net` (built from the saved config), then
/// loaded into it on `device` (slots on `plain`).
pub(crate) fn restore_net<M: Module>(
    which: &str,
    net: M,
    saved: SavedNet,
    device: &Device,
    plain: &Device,
) -> Result<(M, Optimizer), Error> {
    let wrong = |m: String| Error::Data(format!("this save file does not fit its config: {m}"));
    let expected = named_params(&net);
    if expected.len() != saved.params.len() {
        return Err(wrong(format!(
            "{which} has {} parameters, the config makes {}",
            saved.params.len(),
            expected.len()
        )));
    }
    let (mut values, mut slots, mut sizes) = (Vec::new(), Vec::new(), Vec::new());
    for ((path, shape, _), (p, slot)) in expected
        .iter()
        .zip(saved.params.into_iter().zip(saved.slots))
    {
        if *path != p.name || *shape != p.shape || p.values.len() != shape.iter().product::<usize>()
        {
            return Err(wrong(format!(
                "{which}.{} is {:?}, the config needs {which}.{path} {shape:?}",
                p.name, p.shape
            )));
        }
        let n = p.values.len();
        let slot = match slot {
            None => None,
            Some(s) => {
                let mut get = |name: &str| {
                    let t = s
                        .tensors
                        .iter()
                        .find(|t| t.name == name && t.values.len() == n)?;
                    Some(Tensor::from_data(
                        TensorData::new(t.values.clone(), [n]),
                        plain,
                    ))
                };
                let slot = Slot::from_parts(&s.kind, s.time, &mut get);
                Some(slot.ok_or_else(|| wrong(format!("{which}.{path}'s optimizer state")))?)
            }
        };
        values.push(p.values);
        slots.push(slot);
        sizes.push(n);
    }
    let opt = Optimizer::from_slots(slots, sizes, plain)
        .map_err(|m| wrong(format!("{which}'s optimizer state: {m}")))?;
    Ok((load_params(net, values, device), opt))
}
