"""Speed benchmarks of keras-gans against a same-architecture PyTorch reference."""
