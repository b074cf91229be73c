"""The Full ML baseline of /work/shared/DECISION.md: a joblib'd scikit-learn
pipeline behind FastAPI. POST /predict {"x": [16 floats]} ->
{"pred": argmax, "proba": [p0, p1]}. The model path comes from
TIERML_BASELINE_MODEL. Run: uvicorn serve_fastapi_baseline:app."""
import os
from typing import List

import joblib
import numpy as np
from fastapi import FastAPI
from pydantic import BaseModel, validator

model = joblib.load(os.environ["TIERML_BASELINE_MODEL"])
app = FastAPI()


class Features(BaseModel):
    x: List[float]

    @validator("x")
    def sixteen(cls, v):
        if len(v) != 16:
            raise ValueError("x must hold exactly 16 floats")
        return v


@app.post("/predict")
def predict(features: Features):
    x = np.asarray(features.x, dtype=np.float32).reshape(1, -1)
    proba = model.predict_proba(x)[0]
    return {"pred": int(np.argmax(proba)), "proba": proba.tolist()}
