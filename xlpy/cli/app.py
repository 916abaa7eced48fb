"""The typer application every command module registers on."""

import typer

app = typer.Typer(
    name="xlpy",
    help="售后服务部考核工具:模板、校验、汇总、加载项。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
