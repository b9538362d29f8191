// The teaching presets: one click sets a config (a named preset in src/config.rs, so the CLI
// replays the same run with `gan train --preset NAME`), resets and plays. The text says what to
// watch; the numbers in it were measured natively with that command (see the README).

export const LESSONS = [
  {
    preset: 'vanilla-grid25',
    title: 'Vanilla GAN collapses on grid25',
    text: 'The non-saturating GAN on 25 Gaussians. Watch G settle on some modes and leave the ' +
      'rest: D turns green over the missed modes, but G\u2019s gradients there are too weak to ' +
      'pull points across. Natively (`gan train --preset vanilla-grid25`) it covers about half ' +
      'of the 25 after 5,000 steps.',
  },
  {
    preset: 'wgan-gp-grid25',
    title: 'WGAN-GP covers it',
    text: 'The same 25 Gaussians with a Wasserstein critic kept 1-Lipschitz by a gradient ' +
      'penalty (Gulrajani et al. 2017), 2 critic steps per G step. The critic\u2019s slope ' +
      'points everywhere toward real mass, so G\u2019s gradients reach every mode: watch the ' +
      'samples spread out over the grid. Natively it covers 24 of 25 by step 4,000.',
  },
  {
    preset: 'strong-d',
    title: 'D too strong (5:1, high D lr)',
    text: 'Ring8 with 5 D updates per G update and D\u2019s learning rate 5\u00d7 G\u2019s. ' +
      'D\u2019s accuracy climbs past 90%: D wins, and G, chasing the one region D still ' +
      'doubts, collapses onto a single mode.',
  },
  {
    preset: 'saturating',
    title: 'Saturating loss stalls',
    text: 'The same strong D with the minimax loss log(1 \u2212 D(G(z))). Once D rejects G\u2019s ' +
      'samples with confidence, this loss is flat: G\u2019s gradient arrows shrink to nothing, ' +
      'its loss sits at 0 and the samples stop moving. The non-saturating loss (the ' +
      'previous lesson) still moves G under the same D.',
  },
];
