//! Frames for JS: getters copy each array out as a `Float32Array` (views into wasm memory
//! would detach when it grows); the few small numbers travel as JSON.

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use crate::frame::{DigitsFrame, PlaneFrame};

fn f32s(v: &[f32]) -> Float32Array {
    Float32Array::from(v)
}

/// The getters both frames have: `kind`, `step`, the losses since the previous frame and
/// whether the run blew up (wasm-bindgen takes several `impl` blocks per exported type).
macro_rules! common_getters {
    ($frame:ty, $kind:literal) => {
        #[wasm_bindgen]
        impl $frame {
            /// "plane" or "digits".
            #[wasm_bindgen(getter)]
            pub fn kind(&self) -> String {
                $kind.into()
            }
            #[wasm_bindgen(getter)]
            pub fn step(&self) -> f64 {
                self.0.step as f64
            }
            #[wasm_bindgen(getter, js_name = dLosses)]
            pub fn d_losses(&self) -> Float32Array {
                f32s(&self.0.losses.d)
            }
            #[wasm_bindgen(getter, js_name = gLosses)]
            pub fn g_losses(&self) -> Float32Array {
                f32s(&self.0.losses.g)
            }
            /// Whether the run has blown up (a loss, or what the frame shows, is NaN or
            /// infinite).
            #[wasm_bindgen(getter)]
            pub fn diverged(&self) -> bool {
                self.0.diverged()
            }
        }
    };
}

/// One frame of the plane view.
#[wasm_bindgen]
pub struct WebPlaneFrame(pub(crate) PlaneFrame);

common_getters!(WebPlaneFrame, "plane");

#[wasm_bindgen]
impl WebPlaneFrame {
    #[wasm_bindgen(getter, js_name = halfWidth)]
    pub fn half_width(&self) -> f32 {
        self.0.half_width
    }
    #[wasm_bindgen(getter, js_name = gridCells)]
    pub fn grid_cells(&self) -> u32 {
        self.0.grid_cells as u32
    }
    #[wasm_bindgen(getter, js_name = manifoldSide)]
    pub fn manifold_side(&self) -> u32 {
        self.0.manifold_side as u32
    }
    #[wasm_bindgen(getter)]
    pub fn real(&self) -> Float32Array {
        f32s(&self.0.real)
    }
    #[wasm_bindgen(getter)]
    pub fn fake(&self) -> Float32Array {
        f32s(&self.0.fake)
    }
    #[wasm_bindgen(getter, js_name = gGrad)]
    pub fn g_grad(&self) -> Float32Array {
        f32s(&self.0.g_grad)
    }
    /// D's raw scores on the grid.
    #[wasm_bindgen(getter, js_name = dGrid)]
    pub fn d_grid(&self) -> Float32Array {
        f32s(&self.0.d_grid)
    }
    /// D's scores on the page's colour scale, each in [0, 1].
    #[wasm_bindgen(getter, js_name = dVerdict)]
    pub fn d_verdict(&self) -> Float32Array {
        f32s(&self.0.d_verdict)
    }
    /// `[lowest, highest]` critic score, for a Wasserstein critic; else undefined.
    #[wasm_bindgen(getter, js_name = criticRange)]
    pub fn critic_range(&self) -> Option<Vec<f32>> {
        self.0.critic_range.map(|(lo, hi)| vec![lo, hi])
    }
    /// D* = P_r / (P_r + P_g) on the same cells as `dGrid`, P_g estimated from `fake`.
    #[wasm_bindgen(getter, js_name = dStarGrid)]
    pub fn d_star_grid(&self) -> Float32Array {
        f32s(&self.0.d_star_grid)
    }
    /// The mixture (P_r + P_g)/2's mass per cell against a uniform law's share: the page
    /// fades D and D* out below `massShown`.
    #[wasm_bindgen(getter, js_name = massGrid)]
    pub fn mass_grid(&self) -> Float32Array {
        f32s(&self.0.mass_grid)
    }
    #[wasm_bindgen(getter, js_name = massShown)]
    pub fn mass_shown(&self) -> f32 {
        crate::eval::plane::MASS_SHOWN
    }
    #[wasm_bindgen(getter)]
    pub fn manifold(&self) -> Float32Array {
        f32s(&self.0.manifold)
    }
    /// The metrics as JSON (a dozen numbers; see `Metrics`).
    #[wasm_bindgen(getter)]
    pub fn metrics(&self) -> String {
        serde_json::to_string(&self.0.metrics).expect("metrics serialise")
    }
}

/// One frame of the digits view. Images are 28×28, row-major, pixels in [−1, 1].
#[wasm_bindgen]
pub struct WebDigitsFrame(pub(crate) DigitsFrame);

common_getters!(WebDigitsFrame, "digits");

#[wasm_bindgen]
impl WebDigitsFrame {
    /// G's digits from the fixed noise batch, 8 a row: `[64 * 784]`, or a conditional run's
    /// class grid, row `r` asked for digit `r`: `[80 * 784]`.
    #[wasm_bindgen(getter)]
    pub fn samples(&self) -> Float32Array {
        f32s(&self.0.samples)
    }
    /// G along a path between two fixed latent vectors. `[10 * 784]`
    #[wasm_bindgen(getter)]
    pub fn strip(&self) -> Float32Array {
        f32s(&self.0.strip)
    }
    /// Real digits for comparison. `[16 * 784]`
    #[wasm_bindgen(getter)]
    pub fn real(&self) -> Float32Array {
        f32s(&self.0.real)
    }
    /// `{classes_present, class_kl, confident_fraction, class_agreement (null unless
    /// conditional), d_real, d_fake}` as JSON.
    #[wasm_bindgen(getter)]
    pub fn quality(&self) -> String {
        let mut v = serde_json::to_value(&self.0.quality).expect("quality serialises");
        let scores = serde_json::to_value(self.0.scores).expect("scores serialise");
        v.as_object_mut()
            .expect("an object")
            .extend(scores.as_object().expect("an object").clone());
        v.to_string()
    }
}
