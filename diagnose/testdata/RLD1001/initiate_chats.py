import autogen

llm_config = {"config_list": autogen.config_list_from_json("OAI_CONFIG_LIST"), "cache_seed": 42}
researcher = autogen.AssistantAgent("researcher", llm_config=llm_config)
writer = autogen.AssistantAgent("writer", llm_config=llm_config)
user = autogen.UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)  # want RLD1001 "user \(human_input_mode=\"NEVER\", no max_consecutive_auto_reply \(default 100\)\) and researcher"

results = user.initiate_chats(
    [
        {"recipient": researcher, "message": "Find three facts about tides."},
        {"recipient": writer, "message": "Write a paragraph from the facts.", "max_turns": 2},
    ]
)
