import autogen

llm_config = {"config_list": autogen.config_list_from_json("OAI_CONFIG_LIST"), "cache_seed": 42}
bot = autogen.AssistantAgent("bot", llm_config=llm_config)
desk = autogen.UserProxyAgent("desk", human_input_mode="NEVER", max_consecutive_auto_reply=1, code_execution_config=False)

for question in ["q1", "q2", "q3"]:
    desk.initiate_chat(bot, message=question, max_turns=1, clear_history=False)  # want RLD7003 "desk.initiate_chat\(...\) runs in a loop with clear_history=False"
