"""Synthetic scenes with known ground truth, written as real-format products
so that the readers and chains can be tested and scored without real data."""
