//! The digits view's grid as a PNG, for `gan train --save-digits`: what the page would show at
//! that step, to look at beside the classifier's numbers.

use std::path::Path;

use gan_lab::Error;
use gan_lab::data::mnist::{PIXELS, SIDE};

/// Digits a grid row holds (the page's 8-wide grid; a conditional run's class grid is 8 wide too).
const COLUMNS: usize = 8;
/// Grey pixels between digits, so each reads on its own.
const GAP: usize = 2;
/// Each pixel drawn as a SCALE × SCALE block: 28-pixel digits are too small to judge at 1:1.
const SCALE: usize = 2;

/// Writes `digits` (`[n * 784]`, pixels in [−1, 1], n a multiple of 8) as an 8-wide grid of
/// white-on-black digits, one row of the grid per 8 digits.
pub fn write(path: &Path, digits: &[f32]) -> Result<(), Error> {
    let n = digits.len() / PIXELS;
    let rows = n.div_ceil(COLUMNS);
    let cell = SIDE * SCALE + GAP;
    let (width, height) = (COLUMNS * cell + GAP, rows * cell + GAP);
    let mut image = vec![96u8; width * height];
    for (k, digit) in digits.chunks_exact(PIXELS).enumerate() {
        let (x0, y0) = (GAP + (k % COLUMNS) * cell, GAP + (k / COLUMNS) * cell);
        for (p, v) in digit.iter().enumerate() {
            let grey = ((v.clamp(-1.0, 1.0) + 1.0) * 127.5).round() as u8;
            let (x, y) = (x0 + (p % SIDE) * SCALE, y0 + (p / SIDE) * SCALE);
            for dy in 0..SCALE {
                let row = (y + dy) * width + x;
                image[row..row + SCALE].fill(grey);
            }
        }
    }
    let failed = |e: &dyn std::fmt::Display| Error::Data(format!("{}: {e}", path.display()));
    let out = std::fs::File::create(path).map_err(|e| failed(&e))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(out), width as u32, height as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| failed(&e))?;
    writer.write_image_data(&image).map_err(|e| failed(&e))?;
    writer.finish().map_err(|e| failed(&e))
}
