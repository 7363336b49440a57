"""Plugin widgets: compute-centre settings and the jobs dock."""
