// The GPUDevice burn asks for, watched from JS (for the training worker). Burn requests it
// through the WebGPU API like anyone; wrapping `requestDevice` keeps a handle on it, so a lost
// device (a driver reset, a GPU taken away) is noticed at once, even while training is paused,
// and a test can lose it on purpose.

let current = null;

/** Calls `onLost(message)` when the device burn got is lost. Call once, before any session. */
export function watchDevice(onLost) {
  const proto = self.GPUAdapter?.prototype;
  if (!proto?.requestDevice) return;
  const requestDevice = proto.requestDevice;
  proto.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    current = device;
    device.lost.then((info) => {
      if (current !== device) return;
      current = null;
      onLost(`the GPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''})`);
    });
    return device;
  };
}

/** For tests: destroys the device, as a driver reset would. */
export const loseDevice = () => current?.destroy();
