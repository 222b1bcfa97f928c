import os
from typing import Annotated
import autogen
from autogen import register_function

llm_config = {"config_list": [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}], "cache_seed": 42}

reader = autogen.AssistantAgent(
    "reader",
    llm_config=llm_config,
    system_message="Use read_source to inspect files before answering. Say TERMINATE when done.",
)
tool_runner = autogen.UserProxyAgent(
    "tool_runner",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=8,
    is_termination_msg=lambda m: (m.get("content") or "").rstrip().endswith("TERMINATE"),
    code_execution_config=False,
)


def read_source(path: Annotated[str, "file to read"]) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def list_tree(root: Annotated[str, "directory"]) -> str:
    lines = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            lines.append(os.path.join(dirpath, f))
    return "\n".join(lines)


register_function(read_source, caller=reader, executor=tool_runner, description="Read a whole file")
register_function(list_tree, caller=reader, executor=tool_runner, description="List every file under a directory")

tool_runner.initiate_chat(reader, message="Explain how the payment module in ./src works.")
