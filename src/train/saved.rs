//! A trainer to and from a saved run: its whole state read back in one pass, and a run rebuilt
//! on any device from it, to continue exactly where it stopped.

use std::sync::Arc;

use super::Trainer;
use crate::data::mnist::MnistImages;
use crate::error::Error;
use crate::readback::read_many;
use crate::rng::{SeededRng, Stream};
use crate::save::{
    HostTensor, SavedRun, Streams, net_parts, restore_average, restore_net, saved_net,
};
use crate::tensor::named_params;
use burn::prelude::*;

impl Trainer {
    /// The whole run on the host (one read-back), to save or to move to another device.
    pub async fn save(&self) -> Result<SavedRun, Error> {
        let (mut tensors, g_plan) = net_parts(&self.generator, &self.g_optimizer);
        let (d_tensors, d_plan) = net_parts(&self.discriminator, &self.d_optimizer);
        tensors.extend(d_tensors);
        let average = self.average.as_ref().map(named_params).unwrap_or_default();
        let names: Vec<_> = average
            .iter()
            .map(|(p, s, _)| (p.clone(), s.clone()))
            .collect();
        tensors.extend(average.into_iter().map(|(_, _, t)| t));
        let mut values = read_many(tensors).await?.into_iter();
        let generator = saved_net(g_plan, &mut values);
        let discriminator = saved_net(d_plan, &mut values);
        let generator_average = self.average.as_ref().map(|_| {
            let host = |(name, shape)| HostTensor {
                name,
                shape,
                values: values.next().expect("one read per parameter"),
            };
            names.into_iter().map(host).collect()
        });
        Ok(SavedRun {
            config: self.config.clone(),
            steps: self.steps,
            streams: Streams {
                data: self.data_rng.position(),
                noise: self.noise_rng.position(),
                penalty: self.penalty_rng.position(),
            },
            generator,
            discriminator,
            generator_average,
        })
    }

    /// A run rebuilt on `device` from `saved`; it continues exactly where `saved` stopped. The
    /// config is validated and every tensor checked against it first.
    pub fn from_saved(
        saved: SavedRun,
        images: Option<Arc<MnistImages>>,
        device: &Device,
    ) -> Result<Self, Error> {
        let mut t = Self::build(saved.config, images, device)?;
        let (g, g_opt) = restore_net(
            "generator",
            t.generator,
            saved.generator,
            &t.device,
            &t.plain_device,
        )?;
        let (d, d_opt) = restore_net(
            "discriminator",
            t.discriminator,
            saved.discriminator,
            &t.device,
            &t.plain_device,
        )?;
        if let Some(average) = saved.generator_average {
            t.average = Some(restore_average(g.valid(), average, &t.plain_device)?);
        }
        let seed = t.config.seed;
        (t.generator, t.g_optimizer, t.discriminator, t.d_optimizer) = (g, g_opt, d, d_opt);
        t.data_rng = SeededRng::at(seed, Stream::Data, saved.streams.data);
        t.noise_rng = SeededRng::at(seed, Stream::Noise, saved.streams.noise);
        t.penalty_rng = SeededRng::at(seed, Stream::Penalty, saved.streams.penalty);
        t.steps = saved.steps;
        Ok(t)
    }
}
