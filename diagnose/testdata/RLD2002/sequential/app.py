import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
writer = autogen.AssistantAgent("writer", llm_config={"config_list": config_list, "cache_seed": 42})
reader = autogen.UserProxyAgent("reader", human_input_mode="NEVER", max_consecutive_auto_reply=2, code_execution_config=False)
for path in ["a.md", "b.md"]:
    reader.initiate_chat(writer, message=f"Summarise {path}", max_turns=2)
