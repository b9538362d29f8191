// WebGPU adapters that are no GPU: a CPU emulating one (SwiftShader, llvmpipe/lavapipe, WARP).
// Auto routes away from them (backends.js), and the page and figures say what they are.

/** Whether an adapter's description (vendor / architecture / device / description) names a
 *  software adapter. */
export const isSoftwareAdapter = (name) => /swiftshader|llvmpipe|lavapipe|warp|software/i.test(name ?? '');
