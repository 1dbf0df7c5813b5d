(function(){
  function setup(el){
    var rows=el.querySelectorAll('tr.ev'), pos=0, n=rows.length;
    var state=el.querySelector('.state'), label=el.querySelector('.pos');
    function show(){
      for(var i=0;i<n;i++){rows[i].className='ev'+(i<pos-1?' done':(i==pos-1?' current':''));}
      state.textContent=pos==0?'(before the first step)':'after step '+pos+': '+rows[pos-1].getAttribute('data-state');
      label.textContent='step '+pos+' of '+n;
    }
    el.querySelector('.next').addEventListener('click',function(){if(pos<n){pos++;show();}});
    el.querySelector('.prev').addEventListener('click',function(){if(pos>0){pos--;show();}});
    el.querySelector('.reset').addEventListener('click',function(){pos=0;show();});
    show();
  }
  var errors=[];
  window.addEventListener('error',function(e){errors.push(String(e.message));});
  var steppers=document.querySelectorAll('.stepper');
  for(var i=0;i<steppers.length;i++){setup(steppers[i]);}
  if(location.hash=='#selftest'){
    var out=[], ok=true, stepped=0;
    var need=['index','machine','claims','compare'];
    for(var j=0;j<need.length;j++){if(!document.getElementById(need[j])){ok=false;out.push('missing section #'+need[j]);}}
    if(!document.querySelector('section.experiment')){ok=false;out.push('no experiment section');}
    for(var k=0;k<steppers.length;k++){
      var s=steppers[k], st=s.querySelector('.state');
      if(s.querySelectorAll('tr.ev').length==0){continue;}
      var before=st.textContent;
      s.querySelector('.next').click();
      var after=st.textContent;
      if(before==after){ok=false;out.push(s.id+': stepping did not change the shown state');}else{stepped++;}
      s.querySelector('.reset').click();
    }
    if(stepped==0){ok=false;out.push('no timeline to step');}
    if(errors.length){ok=false;out.push('errors: '+errors.join('; '));}
    var r=document.getElementById('selftest');
    r.textContent=(ok?'PASS':'FAIL')+' selftest: '+steppers.length+' timelines, '+stepped+' stepped, '+errors.length+' errors'+(out.length?': '+out.join('; '):'');
    r.style.display='block';
  }
})();