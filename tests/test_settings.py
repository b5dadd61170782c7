"""The settings model: nested tables, and the old flat keys that moved into them still accepted."""

from __future__ import annotations

import pytest

from pipeline.settings import Settings


@pytest.mark.parametrize(
    "toml, window, use_ner",
    [
        ("[tradex.entities]\nner_window = 3\n", 3, True),
        ("[tradex]\nner_window = 3\nuse_model_ner = false\n", 3, False),  # the old flat form
        ("[tradex]\nner_window = 2\n[tradex.entities]\nuse_model_ner = false\n", 2, False),  # both forms
        ("", 5, True),
    ],
)
def test_entity_settings_nested_and_flat(tmp_path, toml, window, use_ner):
    config = tmp_path / "tradex.toml"
    config.write_text(toml, encoding="utf-8")
    s = Settings.load(config)
    assert (s.entities.ner_window, s.entities.use_model_ner) == (window, use_ner)


def test_flat_keyword_still_works_in_the_python_api():
    assert Settings(ner_window=0).entities.ner_window == 0


def test_a_bad_nested_value_is_a_validation_error():
    with pytest.raises(ValueError, match="ner_window"):
        Settings.load(None, ner_window=-1)
