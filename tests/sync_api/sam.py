"""The SAM template as the tests read it: YAML with CloudFormation's short-form tags, and the
values its functions' environment takes with the parameters' defaults."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

TEMPLATE = Path(__file__).resolve().parents[2] / "ops" / "aws" / "template.yaml"


class _CfnLoader(yaml.SafeLoader):  # type: ignore[misc]
    """YAML with CloudFormation's short-form tags (!Ref, !Sub, ...) kept as {tag: value}."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}


_CfnLoader.add_multi_constructor("!", _tag)


def load_template() -> dict[str, Any]:
    template: dict[str, Any] = yaml.load(TEMPLATE.read_text("utf-8"), Loader=_CfnLoader)
    return template


def parameter_defaults(template: dict[str, Any]) -> dict[str, str]:
    return {
        name: str(spec["Default"])
        for name, spec in template["Parameters"].items()
        if "Default" in spec
    }


def resolve(value: Any, parameters: dict[str, str]) -> str | None:
    """A parameter-only value (a string, !Ref or !Sub of parameters); None when it depends on
    a resource, a pseudo parameter or a parameter without a default."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return parameters.get(value["Ref"])
    if isinstance(value, dict) and "Sub" in value and isinstance(value["Sub"], str):
        names = re.findall(r"\$\{([^}]+)\}", value["Sub"])
        if any(name not in parameters for name in names):
            return None
        return re.sub(r"\$\{([^}]+)\}", lambda m: parameters[m.group(1)], value["Sub"])
    return None


def deployed_stage() -> str:
    """The stage name the HTTP API is deployed to (its StageName, parameters at defaults)."""
    template = load_template()
    stage = resolve(
        template["Resources"]["HttpApi"]["Properties"]["StageName"], parameter_defaults(template)
    )
    assert stage, "the HTTP API's StageName must be resolvable from the template"
    return stage


def function_environment(**parameters_given: str) -> dict[str, str | None]:
    """The Globals' environment variables, resolved where they depend on parameters only
    (their defaults, or ``parameters_given``)."""
    template = load_template()
    parameters = {**parameter_defaults(template), **parameters_given}
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    return {name: resolve(value, parameters) for name, value in variables.items()}
