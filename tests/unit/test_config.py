"""Settings: every mistake stops start-up with a message naming the key."""

import tomllib
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings, settings_from_dict

GOOD = {"wechat": {"app_id": "wx2c2769f8efd9abc2", "token": "spamtest"},
        "web": {"secret_key": "k" * 32}}


def test_minimal_config_gets_documented_defaults() -> None:
    settings = settings_from_dict(GOOD, {})
    assert settings.webhook.timestamp_window_seconds == 300
    assert settings.database.url.startswith("sqlite:///")
    assert settings.wechat.encoding_aes_key is None
    assert settings.products.oauth and settings.wechat.oauth_base_url == \
        "https://open.weixin.qq.com"


@pytest.mark.parametrize(("data", "message"), [
    ({**GOOD, "wechat": {"app_id": "wx2c2769f8efd9abc2"}}, "[wechat] token: required"),
    ({**GOOD, "web": {"secret_key": "short"}}, "[web] secret_key: must be at least 32"),
    ({"wechat": GOOD["wechat"]}, "[web] secret_key: required"),
    ({**GOOD, "wechat": {**GOOD["wechat"], "encoding_aes_key": "short"}},
     "[wechat] encoding_aes_key: must be exactly 43"),
    ({**GOOD, "wechat": {**GOOD["wechat"], "tokn": "x"}}, "[wechat] tokn: unknown key"),
    ({**GOOD, "webhok": {}}, "[webhok]: unknown table"),
    ({**GOOD, "webhook": {"max_body_bytes": "big"}},
     "[webhook] max_body_bytes: invalid literal for int"),
    ({**GOOD, "webhook": {"timestamp_window_seconds": 0}},
     "[webhook] timestamp_window_seconds: must be greater than 0"),
    ({**GOOD, "database": {"url": "mysql://x"}}, "[database] url: must be a sqlite"),
    ({**GOOD, "server": {"embedded_worker": "yes"}},
     "[server] embedded_worker: expected true or false"),
    ({**GOOD, "wechat": {**GOOD["wechat"], "app_id": "app"}},
     "[wechat] app_id: must look like wx"),
    ({**GOOD, "wechat": {**GOOD["wechat"], "oauth_base_url": "https://open.weixin.qq.com/"}},
     "[wechat] oauth_base_url: must be an http(s) URL"),
    ({**GOOD, "products": {"oauth": "sometimes"}}, "[products] oauth: expected true or false"),
    ({**GOOD, "wechat": {**GOOD["wechat"], "mode": "aes"}},
     "[wechat] mode: must be plaintext, compatible or safe"),
    ({**GOOD, "wechat": {**GOOD["wechat"], "mode": "safe"}},
     "[wechat] mode: safe needs encoding_aes_key"),
    ({**GOOD, "wechat": {**GOOD["wechat"], "mode": "compatible"}},
     "[wechat] mode: compatible needs encoding_aes_key"),
    ({**GOOD, "wechat": {**GOOD["wechat"], "mode": "plaintext", "encoding_aes_key": "a" * 43}},
     "[wechat] mode: plaintext would leave encoding_aes_key unused"),
])
def test_bad_configuration_names_the_key(data: dict, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        settings_from_dict(data, {})
    assert message in str(error.value)


@pytest.mark.parametrize(("extra", "mode"), [
    ({}, "plaintext"),
    ({"encoding_aes_key": "a" * 43}, "safe"),
    ({"encoding_aes_key": "a" * 43, "mode": "compatible"}, "compatible"),
])
def test_a_set_key_is_enforced_unless_another_mode_is_chosen(extra: dict, mode: str) -> None:
    settings = settings_from_dict({**GOOD, "wechat": {**GOOD["wechat"], **extra}}, {})
    assert settings.wechat.mode == mode


def test_environment_overrides_every_key_including_secrets() -> None:
    env = {"BRANCHLINK_WECHAT_TOKEN": "fromenv", "BRANCHLINK_SERVER_WORKERS": "5",
           "BRANCHLINK_SERVER_EMBEDDED_WORKER": "false"}
    settings = settings_from_dict(GOOD, env)
    assert (settings.wechat.token, settings.server.workers) == ("fromenv", 5)
    assert settings.server.embedded_worker is False


def test_bad_environment_value_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"\[server\] workers"):
        settings_from_dict(GOOD, {"BRANCHLINK_SERVER_WORKERS": "many"})


def test_secrets_never_appear_in_the_settings_repr() -> None:
    settings = settings_from_dict({**GOOD, "wechat": {**GOOD["wechat"],
                                                      "app_secret": "s3cr3tvalue"}}, {})
    assert "spamtest" not in repr(settings) and "s3cr3tvalue" not in repr(settings)
    assert "k" * 32 not in repr(settings)


def test_example_config_documents_every_key_and_ships_no_secret() -> None:
    example = tomllib.loads((Path(__file__).parents[2] / "config.example.toml").read_text())
    with pytest.raises(ConfigError, match="token: required"):
        settings_from_dict(example, {})
    env = {"BRANCHLINK_WECHAT_TOKEN": "tok123", "BRANCHLINK_WEB_SECRET_KEY": "w" * 32,
           "BRANCHLINK_WECHAT_ENCODING_AES_KEY": "a" * 43, "BRANCHLINK_WECHAT_APP_SECRET": "x"}
    settings = settings_from_dict(example, env)
    for table, values in settings.__dict__.items():
        assert set(values.__dict__) == set(example[table]), f"[{table}] keys differ"


def test_config_file_path_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "b.toml"
    path.write_text('[wechat]\napp_id = "wx2c2769f8efd9abc2"\ntoken = "abc"\n'
                    '[web]\nsecret_key = "' + "s" * 32 + '"\n')
    assert load_settings(environ={"BRANCHLINK_CONFIG": str(path)}).wechat.token == "abc"
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml", environ={})
    path.write_text("[wechat\n")
    with pytest.raises(ConfigError, match=r"b\.toml"):
        load_settings(path, environ={})
