"""`python -m keras_gans.export.worker JOB.json`: the TensorFlow-side export.

`export_generator` runs this under `KERAS_BACKEND=tensorflow` when the model
lives on another backend: it rebuilds the model from the preset the job names
and writes each of its exports with `build_export`. The outcome goes to the job's
`result` file: `{"ok": true}` or `{"error": {"type": ..., "message": ...}}`.
"""

import json
import sys


def run(job_path):
    with open(job_path) as f:
        job = json.load(f)
    try:
        import keras

        if keras.backend.backend() != "tensorflow":
            raise RuntimeError(
                "The export worker needs KERAS_BACKEND=tensorflow. Received: "
                f"backend={keras.backend.backend()!r}"
            )
        import numpy as np

        from keras_gans import presets
        from keras_gans.export.exporter import build_export
        from keras_gans.export.signature import serving_signature

        model = presets.from_preset(job["preset"])
        calibration = None
        if job.get("calibration"):
            with np.load(job["calibration"]) as archive:
                calibration = {name: archive[name] for name in archive.files}
        generator = model.sampling_generator()
        signature = serving_signature(model)
        for export in job["exports"]:
            build_export(
                generator,
                signature,
                export["format"],
                export["quantization"],
                export["output"],
                job["uint8"],
                job["generator_kwargs"],
                calibration,
                export["work_dir"],
                job["model_name"],
            )
        result = {"ok": True}
    except Exception as error:  # noqa: BLE001 - reported to the parent process
        result = {"error": {"type": type(error).__name__, "message": str(error)}}
    with open(job["result"], "w") as f:
        json.dump(result, f)
    return 0 if "ok" in result else 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1]))
