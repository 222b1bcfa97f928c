import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": 42}

agent = autogen.AssistantAgent("support", llm_config=llm_config,
                               system_message="Answer the customer's question in two sentences.")
desk = autogen.UserProxyAgent("desk", human_input_mode="NEVER", code_execution_config=False,
                              max_consecutive_auto_reply=1)

# keep the whole history so the bot "remembers" earlier tickets
for ticket in open("tickets_today.txt", encoding="utf-8"):
    desk.initiate_chat(agent, message=ticket, max_turns=1, clear_history=False)
