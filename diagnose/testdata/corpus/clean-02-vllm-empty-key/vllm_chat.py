from autogen import AssistantAgent, UserProxyAgent

config_list = [
    {
        "model": "mistralai/Mistral-7B-Instruct-v0.2",
        "base_url": "http://0.0.0.0:8000/v1",
        "api_key": "EMPTY",
    }
]

assistant = AssistantAgent("assistant", llm_config={"config_list": config_list, "cache_seed": None})
user_proxy = UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=5,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    code_execution_config={"work_dir": "coding", "use_docker": False},
)
user_proxy.initiate_chat(assistant, message="Write a Python function that reverses a string, then say TERMINATE.")
