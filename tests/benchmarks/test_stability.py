"""The stability benchmark on a tiny slice: runs, resumes, records errors, tabulates."""

import json
import math

import keras
import numpy as np
import pytest

from benchmarks import stability
from keras_gans import recipes


def slice_args(tmp_path, seeds, *extra):
    return [
        "--datasets",
        "ring",
        "--recipes",
        "gan",
        "--seeds",
        seeds,
        "--epochs",
        "1",
        "--num-examples",
        "512",
        "--results",
        str(tmp_path / "runs.jsonl"),
        "--markdown",
        str(tmp_path / "table.md"),
        *extra,
    ]


def table_rows(path):
    lines = [line for line in open(path).read().splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [dict(zip(header, (c.strip() for c in line.strip("|").split("|")))) for line in lines[1:]]


def test_parse_seeds():
    assert stability.parse_seeds("0-3,7,2") == [0, 1, 2, 3, 7]
    assert stability.parse_seeds("5") == [5]
    for bad in ("3-1", "a", "-2", ""):
        with pytest.raises(ValueError, match="Received: seeds="):
            stability.parse_seeds(bad)


def test_every_recipe_is_json_and_builds_for_its_datasets():
    for name, recipe in stability.RECIPES.items():
        assert json.loads(json.dumps(recipe)) == recipe, name
        for dataset in recipe["datasets"]:
            full = stability.cell_recipe(recipe, dataset, seed=3)
            assert full["seed"] == 3 and full["dataset"] == dataset
            if dataset in stability.MIXTURES:
                model = recipes.build_compiled_model(full)
                assert model.packing == recipe["variant_args"].get("packing", 1)
    setup = stability.cell_recipe(stability.RECIPES["pacgan_setup_pacgan2"], "grid", seed=0)
    model = recipes.build_compiled_model(setup)
    dense = [layer.units for layer in model.generator.layers if isinstance(layer, keras.layers.Dense)]
    assert dense == [400, 400, 400, 400, 2]
    assert model.discriminator.input_shape == (None, 4)  # two packed 2D points
    assert (setup["num_examples"], setup["batch_size"]) == (100_000, 100)


def test_cells_filter_by_dataset_variant_and_name():
    cells = stability.select_cells(stability.RECIPES, ["ring", "fashion_mnist"], variants=["wgan-gp"])
    assert [(d, n) for d, n, _ in cells] == [("ring", "wgan_gp"), ("fashion_mnist", "wgan_gp_dcgan")]
    cells = stability.select_cells(stability.RECIPES, ["grid"], names=["lsgan", "dcgan"])
    assert [(d, n) for d, n, _ in cells] == [("grid", "lsgan")]  # dcgan is for images only
    with pytest.raises(ValueError, match="Unknown recipes"):
        stability.select_cells(stability.RECIPES, ["ring"], names=["gann"])
    with pytest.raises(ValueError, match="--datasets mnist"):
        stability.select_cells(stability.RECIPES, ["mnist"])


def test_a_slice_runs_resumes_and_tabulates(tmp_path):
    assert stability.main(slice_args(tmp_path, "0-1", "--samplers", "drs")) == 0
    records = stability.read_results(tmp_path / "runs.jsonl")
    assert [r["seed"] for r in records] == [0, 1]
    backend = keras.backend.backend()
    for record in records:
        assert record["error"] is None and record["backend"] == backend
        assert record["full_recipe"]["epochs"] == 1 and record["full_recipe"]["num_examples"] == 512
        assert set(record["scores"]) == {"modes", "high_quality", "reverse_kl"}
        assert 0 <= record["scores"]["modes"] <= 8 and record["wall_time_s"] > 0
        assert record["success"] == (
            record["scores"]["modes"] == 8 and record["scores"]["high_quality"] >= 0.9
        )
        drs = record["samplers"]["drs"]
        assert set(drs["scores"]) == {"modes", "high_quality", "reverse_kl"} and drs["wall_time_s"] > 0
    assert records[0]["config"] == records[1]["config"]  # one cell, two seeds

    # Resumes: seeds 0 and 1 are skipped, only seed 2 runs.
    assert stability.main(slice_args(tmp_path, "0-2", "--samplers", "drs")) == 0
    again = stability.read_results(tmp_path / "runs.jsonl")
    assert [r["seed"] for r in again] == [0, 1, 2]
    assert again[:2] == records

    # The same run in another file gives the same scores: runs are reproducible.
    other = tmp_path / "other"
    other.mkdir()
    stability.main(slice_args(other, "1", "--samplers", "drs"))
    (rerun,) = stability.read_results(other / "runs.jsonl")
    assert (
        rerun["scores"] == records[1]["scores"]
        and rerun["samplers"]["drs"]["scores"] == (records[1]["samplers"]["drs"]["scores"])
    )
    # Scoring without the sampler is another configuration: it trains again.
    stability.main(slice_args(other, "1"))
    assert len(stability.read_results(other / "runs.jsonl")) == 2

    # The table: success count, and mean and population std over the three seeds,
    # for plain sampling and for DRS.
    plain, drs = table_rows(tmp_path / "table.md")
    for row, results in ((plain, again), (drs, [r["samplers"]["drs"] for r in again])):
        modes = np.array([r["scores"]["modes"] for r in results], float)
        high_quality = np.array([r["scores"]["high_quality"] for r in results])
        assert row["success"] == f"{sum(r['success'] for r in results)}/3"
        assert row["modes"] == f"{modes.mean():.1f} ± {modes.std():.1f}"
        assert row["high quality"] == f"{high_quality.mean():.3f} ± {high_quality.std():.3f}"
    assert (plain["sampler"], drs["sampler"]) == ("none", "drs")
    assert (plain["dataset"], plain["recipe"], plain["backend"], plain["epochs"]) == (
        "ring",
        "gan",
        backend,
        "1",
    )
    assert "python -m benchmarks.stability --datasets ring" in open(tmp_path / "table.md").read()


def test_a_crashed_run_is_recorded_and_a_torn_line_ignored(tmp_path):
    broken = dict(stability.RECIPES["wgan_gp"], variant_args={"gp_weight": -1.0})
    recipe_file = tmp_path / "recipes.json"
    recipe_file.write_text(json.dumps({"broken_wgan_gp": broken}))
    results = tmp_path / "runs.jsonl"
    results.write_text('{"key": "torn')  # an interrupted write
    stability.main(
        [
            "--datasets",
            "ring",
            "--recipes",
            "broken_wgan_gp",
            "--recipe-file",
            str(recipe_file),
            "--seeds",
            "0",
            "--epochs",
            "1",
            "--num-examples",
            "256",
            "--results",
            str(results),
            "--markdown",
            str(tmp_path / "table.md"),
        ]
    )
    (record,) = stability.read_results(results)
    assert record["success"] is False and "gp_weight" in record["error"]
    (row,) = table_rows(tmp_path / "table.md")
    assert row["success"] == "0/1 (1 errors)"


def test_sampler_options_are_checked():
    assert stability.parse_sampler_options('{"mh": {"chain_length": 5}}', ["mh"]) == {
        "mh": {"chain_length": 5}
    }
    with pytest.raises(ValueError, match="Unknown sampler"):
        stability.parse_sampler_options(None, ["rejection"])
    with pytest.raises(ValueError, match="not valid JSON"):
        stability.parse_sampler_options("{mh: 1}", ["mh"])
    with pytest.raises(ValueError, match="not in --samplers"):
        stability.parse_sampler_options('{"ddls": {"steps": 5}}', ["mh"])


def test_summary_statistics_against_numpy():
    def record(seed, modes, high_quality, success, wall, error=None):
        return {
            "dataset": "grid",
            "recipe": "r",
            "backend": "b",
            "config": "c",
            "seed": seed,
            "full_recipe": {"epochs": 4},
            "success": success,
            "error": error,
            "wall_time_s": wall,
            "scores": {} if error else {"modes": modes, "high_quality": high_quality},
        }

    records = [
        record(0, 25, 0.95, True, 10.0),
        record(1, 24, 0.97, False, 12.0),
        record(2, 25, 0.91, True, 17.0),
        record(3, 0, 0, False, math.nan, error="boom"),
    ]
    (row,) = stability.summarize(records)
    assert (row["runs"], row["successes"], row["errors"], row["seeds"]) == (4, 2, 1, [0, 1, 2, 3])
    np.testing.assert_allclose(row["scores"]["modes"], (np.mean([25, 24, 25]), np.std([25, 24, 25])))
    np.testing.assert_allclose(row["wall_time_s"], (13.0, np.std([10.0, 12.0, 17.0])))


@pytest.mark.slow
def test_fashion_mnist_slice_scores_the_domain_fid(tmp_path):
    results = tmp_path / "runs.jsonl"
    common = [
        "--datasets",
        "fashion_mnist",
        "--recipes",
        "dcgan",
        "--seeds",
        "0",
        "--epochs",
        "1",
        "--num-examples",
        "128",
        "--fid-samples",
        "200",
        "--results",
        str(results),
        "--markdown",
        str(tmp_path / "table.md"),
    ]
    stability.main(common + ["--fid-threshold", "1e9"])
    (record,) = stability.read_results(results)
    assert record["error"] is None and record["fid_threshold"] == 1e9
    # 2 updates from scratch: far from the data (domain-FID of a trained DCGAN: ~8).
    assert 50 < record["scores"]["fid"] < 1e9 and record["success"] is True
    assert set(record["scores"]) == {"fid", "precision", "recall"}
    assert 0 <= record["scores"]["precision"] <= 1 and 0 <= record["scores"]["recall"] <= 1
    (row,) = table_rows(tmp_path / "table.md")
    assert row["domain-FID"] == f"{record['scores']['fid']:.2f} ± 0.00"


def test_a_schedule_spans_each_optimizers_own_updates():
    # n_critic 2, batch 32, 300 points: groups of 64 -> 5 steps an epoch (the last
    # one of 44 points still trains); 3 epochs, lazy R1 at steps 0, 4, 8, 12: D
    # makes 15 * 2 + 4 updates, G 15. After training, each optimizer's iteration count
    # must equal its schedule's length and its rate the schedule's final value.
    recipe = dict(
        stability.RECIPES["gan"],
        variant_args={"n_critic": 2, "r1_gamma": 0.1, "r1_interval": 4},
        **stability._mlps((8,), (8,)),
        batch_size=32,
        epochs=3,
        num_examples=300,
        schedule={"class_name": "CosineDecay", "config": {"alpha": 0.1}},
    )
    full = stability.cell_recipe(recipe, "ring", seed=0)
    g_schedule = full["g_optimizer"]["config"]["learning_rate"]["config"]
    d_schedule = full["d_optimizer"]["config"]["learning_rate"]["config"]
    assert (g_schedule["decay_steps"], d_schedule["decay_steps"]) == (15, 34)
    assert g_schedule["initial_learning_rate"] == recipe["g_optimizer"]["config"]["learning_rate"]
    model = recipes.build_compiled_model(full)
    fit_args, fit_kwargs, _ = recipes.training_data(full, model)
    model.fit(*fit_args, epochs=full["epochs"], verbose=0, **fit_kwargs)
    for optimizer, schedule in ((model.g_optimizer, g_schedule), (model.d_optimizer, d_schedule)):
        assert int(keras.ops.convert_to_numpy(optimizer.iterations)) == schedule["decay_steps"]
        final = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
        np.testing.assert_allclose(final, 0.1 * schedule["initial_learning_rate"], rtol=1e-5)

    # Piecewise: boundaries are fractions of each optimizer's updates.
    piecewise = dict(
        recipe,
        schedule={
            "class_name": "PiecewiseConstantDecay",
            "config": {"boundaries": [0.5], "scales": [1.0, 0.2]},
        },
    )
    full = stability.cell_recipe(piecewise, "ring", seed=0, epochs=6)
    rate = full["d_optimizer"]["config"]["learning_rate"]["config"]
    base = recipe["d_optimizer"]["config"]["learning_rate"]
    assert rate == {"boundaries": [34], "values": [base, 0.2 * base]}
    with pytest.raises(ValueError, match="one scale more"):
        stability.cell_recipe(
            dict(
                piecewise,
                schedule={
                    "class_name": "PiecewiseConstantDecay",
                    "config": {"boundaries": [0.5], "scales": [1.0]},
                },
            ),
            "ring",
            0,
        )
    with pytest.raises(ValueError, match="Unknown benchmark schedule"):
        stability.cell_recipe(dict(recipe, schedule={"class_name": "Cyclic"}), "ring", 0)
