"""Robustness of the products on data they were not built on.

Not shipped in the plugin (export-ignore). Two kinds of scene per product:
- "project": the project's own simulator (core/scenes), which shares the
  retrievals' assumptions;
- "independent": a simulator in `validation/sims/`, written from the
  literature by someone who did not read the retrieval, with the confounders
  real data has (wet snow, frost, rain, drift, speckle, clouds, double cuts,
  grazing, late sowing, stress, noisy labels...).

Each product has a runner module `validation/<product>.py` with
  TARGETS  {metric: (">=" or "<=", value)}   the issue's acceptance figures
  evaluate(simulator, seed, work) -> {metric: float}   one scene, one run
  REPORTED (optional) {metric: ">=" or "<="}  figures printed without a target
                                               (the sign says which seed is worst)
and `tools/robustness.py` runs them over seeds and prints the table
(mean and worst seed, accepted on the worst)."""
