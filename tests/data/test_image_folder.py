import os
import warnings

import numpy as np
import pytest
from PIL import Image

from keras_gans.data.image_folder import load_image_folder


def save(path, array, format=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.fromarray(array).save(path, format=format)
    return path


def random_image(rng, height, width, channels=3):
    shape = (height, width) if channels == 1 else (height, width, channels)
    return rng.integers(0, 256, shape, dtype=np.uint8)


def scaled(array):
    array = array.astype(np.float64)
    return (array[..., None] if array.ndim == 2 else array) / 127.5 - 1.0


def all_images(dataset):
    batches = list(dataset.as_numpy_iterator())
    if batches and isinstance(batches[0], tuple):
        return np.concatenate([b[0] for b in batches]), np.concatenate([b[1] for b in batches])
    return np.concatenate(batches)


def quiet_load(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a test that expects no warning fails on one
        return load_image_folder(path, **kwargs)


def test_recursive_png_folder_values_and_order(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {
        "a.png": random_image(rng, 8, 8),
        "sub/b.PNG": random_image(rng, 8, 8),
        "sub/deeper/c.png": random_image(rng, 8, 8),
        "sub/deeper/d.bmp": random_image(rng, 8, 8),
        "sub/e.gif": np.full((8, 8, 3), (200, 40, 0), np.uint8),  # few colours: GIF keeps them
        "sub/.hidden.png": random_image(rng, 8, 8),
        ".cache/d.png": random_image(rng, 8, 8),
    }
    for name, array in arrays.items():
        save(str(tmp_path / name), array)
    (tmp_path / "notes.txt").write_text("not an image, and ignored by its extension")
    dataset = quiet_load(str(tmp_path), image_size=8, batch_size=2, shuffle=False)
    visible = ["a.png", "sub/b.PNG", "sub/deeper/c.png", "sub/deeper/d.bmp", "sub/e.gif"]
    assert dataset.file_paths == [str(tmp_path / n) for n in visible]
    assert dataset.class_names is None
    images = all_images(dataset)
    assert images.dtype == np.float32 and images.shape == (5, 8, 8, 3)
    np.testing.assert_allclose(images, np.stack([scaled(arrays[n]) for n in visible]), atol=1e-6)
    # Without recursion only the top-level file.
    top = all_images(quiet_load(str(tmp_path), image_size=8, recursive=False, shuffle=False))
    np.testing.assert_allclose(top, scaled(arrays["a.png"])[None], atol=1e-6)


def test_color_mode_from_the_files_and_explicit(tmp_path):
    rng = np.random.default_rng(1)
    grey = random_image(rng, 6, 6, channels=1)
    rgb = random_image(rng, 6, 6)
    save(str(tmp_path / "grey" / "g.png"), grey)
    save(str(tmp_path / "grey" / "ga.png"), np.stack([grey, np.full_like(grey, 7)], -1))  # grey + alpha
    images = all_images(quiet_load(str(tmp_path / "grey"), image_size=6, shuffle=False))
    assert images.shape == (2, 6, 6, 1)
    np.testing.assert_allclose(images, np.stack([scaled(grey)] * 2), atol=1e-6)

    save(str(tmp_path / "mixed" / "a_grey.png"), grey)
    save(str(tmp_path / "mixed" / "b_rgba.png"), np.concatenate([rgb, np.full((6, 6, 1), 9, np.uint8)], -1))
    images = all_images(quiet_load(str(tmp_path / "mixed"), image_size=6, shuffle=False))
    assert images.shape == (2, 6, 6, 3)  # one colour file makes the folder RGB
    np.testing.assert_allclose(images[0], np.repeat(scaled(grey), 3, axis=-1), atol=1e-6)
    np.testing.assert_allclose(images[1], scaled(rgb), atol=1e-6)  # alpha dropped

    images = all_images(
        quiet_load(str(tmp_path / "mixed"), image_size=6, color_mode="grayscale", shuffle=False)
    )
    luma = rgb.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    np.testing.assert_allclose(images[1, ..., 0], luma / 127.5 - 1.0, atol=1e-5)


def test_jpeg_matches_an_independent_decoder(tmp_path):
    rng = np.random.default_rng(2)
    smooth = np.clip(
        np.add.outer(np.arange(16) * 12, np.arange(16) * 4)[..., None] + rng.integers(0, 20, (16, 16, 3)),
        0,
        255,
    )
    path = save(str(tmp_path / "photo.jpg"), smooth.astype(np.uint8), format="JPEG")
    images = all_images(quiet_load(str(tmp_path), image_size=16))
    decoded = np.asarray(Image.open(path).convert("RGB"))
    np.testing.assert_allclose(images[0], scaled(decoded), atol=3 / 127.5)


def test_class_subfolders_as_labels(tmp_path):
    rng = np.random.default_rng(3)
    # Each class's images have their own grey levels: 10, 11, 12 (cat), 100, 101 (dog), 200 (zebra).
    for name, base, count in [("dog", 100, 2), ("cat", 10, 3), ("zebra", 200, 1)]:
        for i in range(count):
            save(str(tmp_path / name / f"nested{i % 2}" / f"{i}.png"), np.full((4, 4), base + i, np.uint8))
    save(str(tmp_path / "stray.png"), random_image(rng, 4, 4, channels=1))
    with pytest.warns(UserWarning, match=r"1 image file\(s\) directly in .* left out, e.g. stray.png"):
        dataset = load_image_folder(str(tmp_path), image_size=4, labels="inferred", batch_size=4, seed=0)
    assert dataset.class_names == ["cat", "dog", "zebra"]
    images, labels = all_images(dataset)
    assert labels.dtype == np.int32 and images.shape == (6, 4, 4, 1)
    levels = np.round((images[:, 0, 0, 0] + 1) * 127.5).astype(int)
    assert sorted(zip(levels.tolist(), labels.tolist())) == [
        (10, 0),
        (11, 0),
        (12, 0),
        (100, 1),
        (101, 1),
        (200, 2),
    ]
    # Without recursion the nested class images are not found.
    with (
        pytest.warns(UserWarning, match="stray.png"),
        pytest.raises(ValueError, match=r"The image folder is empty: .*cat"),
    ):
        load_image_folder(str(tmp_path), labels="inferred", recursive=False)


def test_truncated_and_fake_images_are_skipped_with_a_warning(tmp_path):
    rng = np.random.default_rng(4)
    good = [save(str(tmp_path / f"good{i}.png"), random_image(rng, 8, 8)) for i in range(3)]
    jpeg = save(str(tmp_path / "broken.jpg"), random_image(rng, 32, 32), format="JPEG")
    with open(jpeg, "rb") as f:
        data = f.read()
    with open(jpeg, "wb") as f:
        f.write(data[: len(data) // 2])  # truncated
    (tmp_path / "fake.png").write_text("this is text, not a PNG")
    (tmp_path / "readme.md").write_text("ignored: not an image extension")
    with pytest.warns(UserWarning) as record:
        dataset = load_image_folder(str(tmp_path), image_size=8, shuffle=False)
    message = str(record[0].message)
    assert "Skipped 2 of 5 image files" in message
    assert "broken.jpg" in message and "fake.png" in message
    assert dataset.file_paths == good
    assert all_images(dataset).shape == (3, 8, 8, 3)
    # A folder where nothing can be read raises, naming a file and the decoder's reason.
    os.makedirs(tmp_path / "bad")
    (tmp_path / "bad" / "x.jpg").write_bytes(data[:100])
    with pytest.raises(
        ValueError, match=r"None of the 1 image file\(s\) in .*bad can be read; e.g. .*x.jpg: .*JPEG"
    ):
        load_image_folder(str(tmp_path / "bad"))


def test_mixed_sizes_are_cropped_and_resized_with_a_warning(tmp_path):
    # 40x60: a centre square of 100 between two strips of 250 (which the crop removes).
    wide = np.full((40, 60, 3), 250, np.uint8)
    wide[:, 10:50] = 100
    save(str(tmp_path / "wide.png"), wide)
    save(str(tmp_path / "small.png"), np.full((10, 10, 3), 30, np.uint8))
    with pytest.warns(UserWarning, match=r"2 different sizes .*small.png is 10x10 and .*wide.png is 40x60"):
        images = all_images(load_image_folder(str(tmp_path), image_size=20, shuffle=False))
    assert images.shape == (2, 20, 20, 3)
    np.testing.assert_allclose(images[0], 30 / 127.5 - 1, atol=1e-5)  # upsampled constant
    np.testing.assert_allclose(images[1], 100 / 127.5 - 1, atol=1e-5)  # centre crop, no strips
    # Without the crop the strips are squeezed in: the left border is bright.
    with pytest.warns(UserWarning, match="each is resized to 20x20"):
        images = all_images(
            load_image_folder(str(tmp_path), image_size=20, shuffle=False, crop_to_aspect_ratio=False)
        )
    assert images[1, :, 0].mean() > 0.9
    # Non-square targets: (height, width).
    with pytest.warns(UserWarning):
        images = all_images(load_image_folder(str(tmp_path), image_size=(12, 18), shuffle=False))
    assert images.shape == (2, 12, 18, 3)
    with pytest.raises(
        ValueError, match=r"2 different sizes, e.g. .*small.png is 10x10 .*Received: image_size=None"
    ):
        load_image_folder(str(tmp_path), image_size=None)
    # One common size: image_size=None keeps it.
    os.remove(tmp_path / "small.png")
    assert all_images(quiet_load(str(tmp_path), image_size=None)).shape == (1, 40, 60, 3)


def test_shuffling_batches_and_num_examples(tmp_path):
    for i in range(10):
        save(str(tmp_path / f"{i:02d}.png"), np.full((4, 4), i * 20, np.uint8))

    def values(images):
        return np.round((images[:, 0, 0, 0] + 1) * 127.5 / 20).astype(int).tolist()

    dataset = quiet_load(str(tmp_path), image_size=4, batch_size=4, seed=3)
    epochs = [values(all_images(dataset)) for _ in range(2)]
    assert all(sorted(e) == list(range(10)) for e in epochs)  # every image once per pass
    assert epochs[0] != epochs[1] and epochs[0] != list(range(10))  # reshuffled
    again = quiet_load(str(tmp_path), image_size=4, batch_size=4, seed=3)
    assert values(all_images(again)) == epochs[0]  # the seed fixes the order
    sizes = [len(b) for b in quiet_load(str(tmp_path), image_size=4, batch_size=4).as_numpy_iterator()]
    assert sizes == [4, 4, 2]
    sizes = [
        len(b)
        for b in quiet_load(
            str(tmp_path), image_size=4, batch_size=4, drop_remainder=True
        ).as_numpy_iterator()
    ]
    assert sizes == [4, 4]
    first = quiet_load(str(tmp_path), image_size=4, num_examples=3, shuffle=False)
    assert values(all_images(first)) == [0, 1, 2]


def test_bad_folders_and_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"Image folder not found: .*missing"):
        load_image_folder(str(tmp_path / "missing"))
    (tmp_path / "file.png").write_bytes(b"")
    with pytest.raises(NotADirectoryError, match=r"got a file: .*file.png"):
        load_image_folder(str(tmp_path / "file.png"))
    os.makedirs(tmp_path / "empty" / "only_folders")
    with pytest.raises(ValueError, match=r"The image folder is empty: .*empty"):
        load_image_folder(str(tmp_path / "empty"))
    os.makedirs(tmp_path / "texts")
    (tmp_path / "texts" / "a.txt").write_text("a")
    (tmp_path / "texts" / "b.csv").write_text("b")
    with pytest.raises(
        ValueError,
        match=r"No image files \(.png, .jpg.*\) in .*texts: it holds 2 other file\(s\), e.g. a.txt, b.csv",
    ):
        load_image_folder(str(tmp_path / "texts"))
    with pytest.raises(ValueError, match=r"labels='inferred' needs one subfolder per class in .*texts"):
        load_image_folder(str(tmp_path / "texts"), labels="inferred")
    save(str(tmp_path / "classes" / "a" / "x.png"), np.zeros((4, 4), np.uint8))
    os.makedirs(tmp_path / "classes" / "b")
    with pytest.raises(ValueError, match=r"The image folder is empty: .*classes.b"):
        load_image_folder(str(tmp_path / "classes"), labels="inferred")
    folder = str(tmp_path / "classes" / "a")
    for kwargs, name in [
        ({"color_mode": "rgba"}, "color_mode"),
        ({"labels": "folders"}, "labels"),
        ({"image_size": 0}, "image_size"),
        ({"image_size": (8, 8, 3)}, "image_size"),
        ({"batch_size": 0}, "batch_size"),
        ({"num_examples": 0}, "num_examples"),
        ({"resize_method": "cubic"}, "resize_method"),
    ]:
        with pytest.raises(ValueError, match=f"Received: {name}="):
            load_image_folder(folder, **kwargs)
