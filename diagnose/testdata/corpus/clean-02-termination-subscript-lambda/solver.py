import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST", filter_dict={"model": ["gpt-4o"]})


class Checks:
    @staticmethod
    def finished(msg) -> bool:
        return msg.get("content") is not None and "TERMINATE" in msg["content"]


assistant = autogen.AssistantAgent(
    name="assistant",
    llm_config={"config_list": config_list, "cache_seed": 42},
    is_termination_msg=Checks.finished,
)
user_proxy = autogen.UserProxyAgent(
    name="user_proxy",
    human_input_mode="NEVER",
    is_termination_msg=lambda msg: msg["content"] is not None and "TERMINATE" in msg["content"],
    code_execution_config={"work_dir": "work", "use_docker": False},
)
user_proxy.initiate_chat(assistant, message="Solve x^2 - 5x + 6 = 0 with sympy, then reply TERMINATE.")
