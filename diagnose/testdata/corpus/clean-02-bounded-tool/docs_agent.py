import os
from typing import Annotated
from autogen import AssistantAgent, UserProxyAgent, register_function

MAX_CHARS = 2000
llm_config = {"config_list": [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]}], "cache_seed": 42}

helper = AssistantAgent("helper", llm_config=llm_config,
                        system_message="Look things up with read_doc. Reply TERMINATE when done.")
runner = UserProxyAgent("runner", human_input_mode="NEVER", code_execution_config=False,
                        max_consecutive_auto_reply=5,
                        is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""))


def read_doc(name: Annotated[str, "document name"]) -> str:
    with open(os.path.join("docs", name), encoding="utf-8") as fh:
        text = fh.read(MAX_CHARS)
    return text


register_function(read_doc, caller=helper, executor=runner, description="Read the first 2000 characters of a doc")
runner.initiate_chat(helper, message="What does docs/setup.md say about proxies?", max_turns=4)
