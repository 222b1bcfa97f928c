import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST", filter_dict={"model": ["gpt-3.5-turbo"]})
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list, "cache_seed": 42})
user_proxy = autogen.UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=3,
    is_termination_msg=lambda x: "TERMINATE" in (x.get("content") or ""),
    code_execution_config={"work_dir": "coding", "use_docker": False},
)
user_proxy.initiate_chat(assistant, message="What date is today? Compare the year-to-date gain for META and TESLA.", max_turns=4)
