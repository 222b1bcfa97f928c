import time
import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
writer = autogen.AssistantAgent("writer", llm_config={"config_list": config_list, "cache_seed": 42})
boss = autogen.UserProxyAgent("boss", human_input_mode="NEVER", code_execution_config=False,
                              max_consecutive_auto_reply=2)

def run_job(prompt):
    for attempt in range(6):
        try:
            return boss.initiate_chat(writer, message=prompt, max_turns=2)
        except Exception as exc:  # rate limits, timeouts
            print(f"attempt {attempt} failed: {exc}")
            time.sleep(0.5)
    raise SystemExit("giving up")

for p in ["Draft a launch email", "Draft a follow-up email", "Draft an FAQ"]:
    run_job(p)
