"""`keras-gans list`: presets, variants and datasets."""

import json

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def command_list(args):
    """Prints the zoo presets (with headline metrics), the variants and the datasets."""
    from keras_gans import data
    from keras_gans import presets
    from keras_gans import recipes

    entries = presets.list_presets()
    variants = list(recipes.variant_classes())
    if args.json:
        print(
            json.dumps(
                {"presets": entries, "variants": variants, "datasets": list(data.DATASET_NAMES)}, indent=2
            )
        )
        return 0
    print("Presets (keras-gans sample NAME; image-to-image ones: keras-gans translate NAME IN.png OUT.png):")
    width = max([len(n) for n in entries] + [4])
    for name, entry in entries.items():
        metrics = entry.get("metrics") or {}
        shown = ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in metrics.items())
        print(f"  {name:<{width}}  {entry.get('description', '')}" + (f"  [{shown}]" if shown else ""))
    print("Variants (keras-gans train VARIANT --dataset DATASET): " + ", ".join(variants))
    print("Datasets: " + ", ".join(data.DATASET_NAMES))
    return 0
