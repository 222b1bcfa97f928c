import time
import openai
import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list})
user = autogen.UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=4,
                              is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
                              code_execution_config=False)

task = "Summarise the attached quarterly report in 5 bullet points."

while True:
    try:
        result = user.initiate_chat(assistant, message=task, max_turns=3)
        break
    except openai.RateLimitError as err:
        print("rate limited, trying again", err)
        time.sleep(1)
        continue
