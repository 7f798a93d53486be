"""Shared pytest setup: single-threaded BLAS/torch for stable timings on small CI machines."""
import os
os.environ.setdefault('OMP_NUM_THREADS', '1')
import matplotlib
matplotlib.use('Agg')
